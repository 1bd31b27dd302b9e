"""Writing many rows at once: plain tuples handed to the database driver, without
SQLAlchemy's per-row processing (issue 16: an import writes thousands of answers).

On SQLite, one prepared ``INSERT`` of many rows at a time (``VALUES (?, ?, ?), (?, ?, ?),
...``: the driver binds and steps once per statement, not once per row, which halves the cost
of an inspection's ~8,000 answers); on PostgreSQL, ``COPY ... FROM STDIN`` through psycopg
(``cursor.copy``), the fastest way in. Both run on the connection of the caller's transaction,
so an import stays all or nothing.
"""

from __future__ import annotations

from itertools import chain, islice
from typing import Iterable, Sequence

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError


#: Rows sent to COPY at a time.
COPY_BATCH = 10_000
#: Parameters of one SQLite statement at most: SQLite's own limit before 3.32 (999), so a
#: library built with the old default takes it too.
SQLITE_PARAMETERS = 999


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
                 f"INSERT INTO {table.name} ({names}) VALUES ")
    driver_error = db.dialect.loaded_dbapi.Error
    try:
        if postgresql:
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                remaining = iter(rows)      # a batch at a time: the rows may be a generator
                while batch := list(islice(remaining, COPY_BATCH)):
                    copy.write(copy_text(batch, len(columns)))
        else:
            cursor = raw.cursor()
            try:
                _insert_sqlite(cursor, statement, len(columns), rows)
            finally:
                cursor.close()
    except driver_error as exc:     # as SQLAlchemy raises it (an IntegrityError stays one)
        raise DBAPIError.instance(statement, None, exc, driver_error) from exc


def _insert_sqlite(cursor, statement: str, width: int, rows: Iterable[tuple]) -> None:
    """``rows`` inserted by ``statement`` (``INSERT ... VALUES `` without its rows) followed
    by as many rows as :data:`SQLITE_PARAMETERS` allows, their values flattened."""
    per = max(1, SQLITE_PARAMETERS // width)
    one = f"({', '.join('?' * width)})"
    remaining = iter(rows)
    while batch := list(islice(remaining, per)):
        values = list(chain.from_iterable(batch))
        if len(values) != len(batch) * width:   # a row of the wrong width would shift the rest
            raise ValueError(f"bulk insert: every row needs {width} values")
        cursor.execute(statement + ", ".join([one] * len(batch)), values)


#: COPY's text format: a backslash, tab, line feed or carriage return in a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: object) -> str:
    return "\\N" if value is None else str(value).translate(_ESCAPES)


def copy_text(rows: list[tuple], width: int) -> str:
    """``rows`` in PostgreSQL's COPY text format (tab-separated, one line each). Joined as
    they are, then checked as a whole: where no value holds a tab, line break, carriage return
    or backslash (none is None), the text has exactly the separators the rows need; otherwise
    every value is escaped."""
    text = "".join("\t".join(map(str, row)) + "\n" for row in rows)
    if (text.count("\t") == len(rows) * (width - 1) and text.count("\n") == len(rows)
            and "\\" not in text and "\r" not in text
            and ("None" not in text or not any(None in row for row in rows))):
        return text
    return "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows)
