"""Writing many rows at once: plain values handed to the database driver, without
SQLAlchemy's per-row processing (issue 16: an import writes thousands of answers).

On SQLite, one prepared ``INSERT`` of many rows at a time (``VALUES (?, ?, ?), (?, ?, ?),
...``: the driver binds and steps once per statement, not once per row); on PostgreSQL,
``COPY ... FROM STDIN`` through psycopg (``cursor.copy``), the fastest way in. Both run on the
connection of the caller's transaction, so an import stays all or nothing.
"""

from __future__ import annotations

from itertools import chain, cycle, islice
from typing import Iterable, Iterator, Sequence

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError


#: Rows sent to COPY at a time (about).
COPY_BATCH = 10_000
#: Parameters of one SQLite statement at most: SQLite's own limit before 3.32 (999), so a
#: library built with the old default takes it too.
SQLITE_PARAMETERS = 999


def insert_rows(db: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table`` in ``db``'s transaction.

    Values are given as the driver takes them: a JSON column as its JSON text.
    """
    width = len(columns)

    def sqlite(cursor, statement: str) -> None:
        for batch in _batches(rows, max(1, SQLITE_PARAMETERS // width)):
            values = list(chain.from_iterable(batch))
            if len(values) != len(batch) * width:   # a row of the wrong width would shift the rest
                raise ValueError(f"bulk insert: every row needs {width} values")
            _execute_sqlite(cursor, statement, width, values)

    def postgresql(copy) -> None:
        for batch in _batches(rows, COPY_BATCH):
            copy.write(copy_text(batch, width))

    _insert(db, table, columns, sqlite, postgresql)


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    remaining = iter(rows)      # a batch at a time: the rows may be a generator
    while batch := list(islice(remaining, size)):
        yield batch


def _insert(db: Connection, table: Table, columns: Sequence[str], sqlite, postgresql) -> None:
    """Run ``sqlite(cursor, "INSERT INTO table (columns) VALUES ")`` or ``postgresql(copy)``
    on ``db``'s own driver connection; a driver error raised as SQLAlchemy raises it."""
    for name in columns:        # the names are the schema's own, never input: checked anyway
        table.c[name]
    names = ", ".join(columns)
    raw = db.connection.driver_connection
    assert raw is not None      # an open connection has its driver's
    on_postgresql = db.dialect.name == "postgresql"
    statement = (f"COPY {table.name} ({names}) FROM STDIN" if on_postgresql else
                 f"INSERT INTO {table.name} ({names}) VALUES ")
    driver_error = db.dialect.loaded_dbapi.Error
    try:
        if on_postgresql:
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                postgresql(copy)
        else:
            cursor = raw.cursor()
            try:
                sqlite(cursor, statement)
            finally:
                cursor.close()
    except driver_error as exc:     # as SQLAlchemy raises it (an IntegrityError stays one)
        raise DBAPIError.instance(statement, None, exc, driver_error) from exc


def _execute_sqlite(cursor, statement: str, width: int, values: list) -> None:
    """One ``INSERT`` of ``len(values) // width`` rows: ``statement`` (``INSERT ... VALUES ``)
    followed by a ``(?, ...)`` for each."""
    one = f"({', '.join('?' * width)})"
    cursor.execute(statement + ", ".join([one] * (len(values) // width)), values)


#: COPY's text format: a backslash, tab, line feed or carriage return in a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: object) -> str:
    return "\\N" if value is None else str(value).translate(_ESCAPES)


def copy_text(rows: list[tuple], width: int) -> str:
    """``rows`` in PostgreSQL's COPY text format (tab-separated, one line each). Joined as
    they are (every value and separator in one C-level join, no Python work per row), then
    checked as a whole: where no value holds a tab, line break, carriage return or backslash
    (none is None), the text has exactly the separators the rows need; otherwise every value
    is escaped."""
    values = list(map(str, chain.from_iterable(rows)))
    if len(values) != len(rows) * width:        # a row of the wrong width would shift the rest
        raise ValueError(f"bulk insert: every row needs {width} values")
    text = "".join(chain.from_iterable(zip(values, cycle(("\t",) * (width - 1) + ("\n",)))))
    if (text.count("\t") == len(rows) * (width - 1) and text.count("\n") == len(rows)
            and "\\" not in text and "\r" not in text
            and ("None" not in text or not any(None in row for row in rows))):
        return text
    return "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows)
