"""What every part of the store stands on: its engine, read-only transactions, and finding
an inspection by name."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, select

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

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A transaction that only reads (on SQLite it takes no write lock)."""
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
        row = db.execute(query).first()
        if row is None:
            known = db.execute(select(t.inspection.c.name).order_by(t.inspection.c.name)).scalars().all()
            raise InputError(f"no inspection {name!r} in {shown(self.url)}; "
                             f"it holds: {', '.join(known) or 'none'}")
        return row
