"""What every part of the store stands on: its engine, read-only transactions, and finding
an inspection by name."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Connection, Engine, event, select

from ..errors import InputError
from . import schema as t
from .engine import shown


class StoreBase:
    """The store's connection to its database; the parts in :mod:`.reads`, :mod:`.writes` and
    :mod:`.locks` build on it."""

    url: str
    path: Path | None
    dialect: str
    engine: Engine
    #: The unit of work open on this thread, if any (:meth:`unit`).
    _units: threading.local

    @contextmanager
    def unit(self) -> Iterator[None]:
        """One transaction for every store method this thread calls inside the block: they
        read and write on one connection and commit (or, on an error, roll back) together.
        The web application saves an answer in one (issue 13: its version check, the write,
        its audit, the case's status and the case read back to show it). It is a write
        transaction from the start (SQLite: ``BEGIN IMMEDIATE``). Reads of a case inside it
        are kept until the next write (:meth:`_kept`). A unit inside a unit joins it."""
        if self._open_unit() is not None:
            yield
            return
        with self.engine.begin() as connection:
            kept: dict[tuple[Any, ...], Any] = {}

            def forget(_db: Any, _cursor: Any, statement: str, *_args: Any) -> None:
                if statement.lstrip()[:6].upper() != "SELECT":     # a write: what was read may be stale
                    kept.clear()
            event.listen(connection, "before_cursor_execute", forget)
            self._units.state = {"db": connection, "kept": kept}
            try:
                yield
            finally:
                self._units.state = None

    def _open_unit(self) -> dict[str, Any] | None:
        return getattr(self._units, "state", None)

    def _kept_now(self) -> dict[tuple[Any, ...], Any] | None:
        """A copy of what the unit of work keeps (None outside one), for a write that knows
        what it changed to put back (:meth:`_keep_again`)."""
        state = self._open_unit()
        return dict(state["kept"]) if state is not None else None

    def _keep_again(self, kept: dict[tuple[Any, ...], Any] | None) -> None:
        state = self._open_unit()
        if state is not None and kept is not None:
            state["kept"].clear()
            state["kept"].update(kept)

    def _kept(self, key: tuple[Any, ...], read: Any) -> Any:
        """``read()``, kept for the rest of the unit of work until something is written (any
        statement but a SELECT forgets everything kept); outside a unit: read every time."""
        state = self._open_unit()
        if state is None:
            return read()
        if key not in state["kept"]:
            state["kept"][key] = read()
        return state["kept"][key]

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction: its own, or the open unit of work's."""
        state = self._open_unit()
        if state is not None:
            yield state["db"]
            return
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A transaction that only reads (on SQLite it takes no write lock); inside a unit of
        work, the unit's."""
        state = self._open_unit()
        if state is not None:
            yield state["db"]
            return
        with self.engine.connect() as connection:
            connection = connection.execution_options(read_only=True)
            with connection.begin():
                yield connection

    def _exists(self, name: str) -> bool:
        with self._reading() as db:
            return db.execute(select(t.inspection.c.id).where(t.inspection.c.name == name)).first() is not None

    def _inspection(self, db: Connection, name: str, *, lock: bool = False):
        query = select(t.inspection).where(t.inspection.c.name == name)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        row = self._kept(("inspection", name, lock), lambda: db.execute(query).first())
        if row is None:
            known = db.execute(select(t.inspection.c.name).order_by(t.inspection.c.name)).scalars().all()
            raise InputError(f"no inspection {name!r} in {shown(self.url)}; "
                             f"it holds: {', '.join(known) or 'none'}")
        return row
