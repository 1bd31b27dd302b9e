"""Alembic environment: migrations run on the connection the store hands over.

The store calls ``alembic.command.upgrade`` with ``config.attributes["connection"]`` set;
nothing here reads a URL or an ini file. On PostgreSQL a transaction-scoped advisory lock
keeps two processes opening a new store at once from both creating its tables.
"""

from alembic import context

MIGRATION_LOCK = 0x686D6970  # "hmip"

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    context.run_migrations()
