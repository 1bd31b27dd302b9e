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


#: Rows sent to COPY at a time.
COPY_BATCH = 10_000


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
                batch: list[tuple] = []
                for row in rows:        # a batch at a time: the rows may be a generator
                    batch.append(row)
                    if len(batch) == COPY_BATCH:
                        copy.write(copy_text(batch, len(columns)))
                        batch.clear()
                copy.write(copy_text(batch, len(columns)))
        else:
            cursor = raw.cursor()
            try:
                cursor.executemany(statement, rows)
            finally:
                cursor.close()
    except driver_error as exc:     # as SQLAlchemy raises it (an IntegrityError stays one)
        raise DBAPIError.instance(statement, None, exc, driver_error) from exc


#: COPY's text format: a backslash, tab, line feed or carriage return in a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: object) -> str:
    return "\\N" if value is None else str(value).translate(_ESCAPES)


def copy_text(rows: Iterable[tuple], width: int) -> str:
    """``rows`` in PostgreSQL's COPY text format (tab-separated, one line each), escaped where
    a value needs it: checked once per row, so that plain values cost one join."""
    lines = []
    for row in rows:
        line = "\t".join(map(str, row))
        if line.count("\t") != width - 1 or "\\" in line or "\n" in line or "\r" in line \
                or None in row:
            line = "\t".join(map(_copy_value, row))
        lines.append(line)
    lines.append("")
    return "\n".join(lines)
