"""Writing many rows at once: plain tuples handed to the database driver, without
SQLAlchemy's per-row processing (issue 16: an import writes thousands of answers).

On SQLite, the driver's ``executemany`` of one prepared ``INSERT``; on PostgreSQL, ``COPY
... FROM STDIN`` through psycopg (``cursor.copy``), the fastest way in. Both run on the
connection of the caller's transaction, so an import stays all or nothing.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError


def insert_rows(db: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table`` in ``db``'s transaction.

    Values are given as the driver takes them: a JSON column as its JSON text.
    """
    for name in columns:        # the names are the schema's own, never input: checked anyway
        table.c[name]
    names = ", ".join(columns)
    raw = db.connection.driver_connection
    assert raw is not None      # an open connection has its driver's
    postgresql = db.dialect.name == "postgresql"
    statement = (f"COPY {table.name} ({names}) FROM STDIN" if postgresql else
                 f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))})")
    driver_error = db.dialect.loaded_dbapi.Error
    try:
        if postgresql:
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor = raw.cursor()
            try:
                cursor.executemany(statement, rows)
            finally:
                cursor.close()
    except driver_error as exc:     # as SQLAlchemy raises it (an IntegrityError stays one)
        raise DBAPIError.instance(statement, None, exc, driver_error) from exc
