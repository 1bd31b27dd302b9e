"""Shared set-up for the web application's tests: a store holding the CRC example twice
('tv', granted, and 'other', never granted), one user per role, logged-in clients; for the
browser tests (and bench/serve.py), a real ``inspect serve``, logging in and capturing a case
by keyboard."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(store_url: str, *, workers: int = 1) -> tuple[subprocess.Popen, str]:
    """``inspect serve`` on a free loopback port; returns the process and its base URL once it answers."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("inspect")), "serve", "--db", store_url,
               "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "HMIP_DB": ""})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"inspect serve ended: {server.stderr.read() if server.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise AssertionError("inspect serve did not start listening within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def log_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def capture_by_keyboard(page) -> list[str]:
    """Answer every question of the case page open in ``page`` by keyboard, from the first:
    'y' where yes is an answer, else '1'; each time, wait until the focus has moved to the next
    question and its save has ended. Returns the questions' form ids."""
    forms = page.locator("form.question").evaluate_all("forms => forms.map(f => f.id)")
    yes_no = page.locator("form.question").evaluate_all(
        "forms => forms.map(f => !!f.querySelector('input[value=yes]'))")
    page.locator(f'[id="{forms[0]}"] input[type=radio]:checked').focus()
    for index, has_yes in enumerate(yes_no):
        page.keyboard.press("y" if has_yes else "1")
        following = forms[min(index + 1, len(forms) - 1)]
        page.wait_for_function(
            "id => document.activeElement && document.activeElement.closest('form') && "
            "document.activeElement.closest('form').id === id && "
            "!document.querySelector('.htmx-request')", arg=following)
    return forms
