"""The inspection store's tables, as SQLAlchemy Core metadata (one schema, SQLite and PostgreSQL).

The tables are created and changed only by the versioned migrations in ``migrations/``
(Alembic); this module describes the current version for the queries in :mod:`.store`.

* ``inspection``: one row per inspection (its ``inspection.toml`` facts, and whether the
  ratings panel has signed it off, which locks it);
* ``inspected_case``: one row per case: sample, attributes, capture status, and the reason
  an exclusion rule gave, if any;
* ``answer``: one row per answered question of a case;
* ``judgement``, ``moderation``, ``panel_decision``: what ``judgements.toml`` holds;
* ``audit``: every change, append-only (database triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, Column, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint,
)

metadata = MetaData()

inspection = Table(
    "inspection", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("provider", Text, nullable=False),
    Column("profile", String(200), nullable=False),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("fieldwork", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("details", JSON, nullable=False),               # further facts, e.g. comparators
    Column("locked", Boolean, nullable=False, default=False),
    Column("created_at", String(40), nullable=False),
)

inspected_case = Table(
    "inspected_case", metadata,
    Column("id", Integer, primary_key=True),
    Column("inspection_id", Integer, ForeignKey("inspection.id"), nullable=False),
    Column("case_id", String(200), nullable=False),
    Column("sample", String(100), nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("status", String(20), nullable=False),          # complete | in-progress
    Column("excluded", Text, nullable=False, default=""),  # the exclusion's reason, if any
    UniqueConstraint("inspection_id", "case_id"),
)

answer = Table(
    "answer", metadata,
    Column("case_pk", Integer, ForeignKey("inspected_case.id"), primary_key=True),
    Column("question_id", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

judgement = Table(
    "judgement", metadata,
    Column("inspection_id", Integer, ForeignKey("inspection.id"), primary_key=True),
    Column("standard", String(20), primary_key=True),
    Column("rating", String(40), nullable=False),
    Column("evidence", Text, nullable=False),
)

moderation = Table(
    "moderation", metadata,
    Column("inspection_id", Integer, ForeignKey("inspection.id"), primary_key=True),
    Column("standard", String(20), primary_key=True),
    Column("direction", Integer, nullable=False),
    Column("rationale", Text, nullable=False),
    Column("ratified", Boolean, nullable=False),
)

panel_decision = Table(
    "panel_decision", metadata,
    Column("inspection_id", Integer, ForeignKey("inspection.id"), primary_key=True),
    Column("standard", String(20), primary_key=True),
    Column("direction", Integer, nullable=False),
    Column("rationale", Text, nullable=False),
)

audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("inspection_id", Integer, ForeignKey("inspection.id"), nullable=False),
    Column("at", String(40), nullable=False),
    Column("who", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("case_id", String(200)),
    Column("item", String(100)),
    Column("old", Text),
    Column("new", Text),
    Column("reason", Text, nullable=False, default=""),
)
