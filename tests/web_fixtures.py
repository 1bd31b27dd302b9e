"""Shared set-up for the web application's tests: a store holding the CRC example twice
('tv', granted, and 'other', never granted), one user per role, logged-in clients."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hmip_inspect.core.plugin.manager import build_plugin_manager
from hmip_inspect.core.session import Session
from hmip_inspect.core.store.accounts import Accounts

ROLES = ("admin", "lead", "inspector", "panel", "analyst")
PASSWORD = "correct horse battery"


def add_users(store, grant: str = "tv") -> None:
    accounts = Accounts(store)
    for role in ROLES:
        accounts.add(role, role, PASSWORD, "setup")
        if role != "admin":
            accounts.grant(role, grant, "setup")


def login(client, name: str, password: str = PASSWORD):
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"csrf": token, "username": name, "password": password},
                       follow_redirects=False)


def csrf_of(client) -> str:
    page = client.get("/logout")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


@dataclass
class Web:
    app: object
    store: object

    def client(self, role: str | None = None, *, https: bool = False):
        from starlette.testclient import TestClient
        client = TestClient(self.app, base_url=("https" if https else "http") + "://127.0.0.1")
        if role is not None:
            assert login(client, role).status_code == 303
        return client


def make_web(store, example) -> Web:
    from hmip_inspect.core.store.fieldwork import import_folder
    from hmip_inspect.core.web.app import create_app
    session = Session(pm=build_plugin_manager())
    import_folder(store, session, example, "tv", "importer")
    import_folder(store, session, example, "other", "importer")
    add_users(store)
    return Web(create_app(store, session), store)
