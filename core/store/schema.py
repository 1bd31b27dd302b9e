"""The inspection store's tables, as SQLAlchemy Core metadata (one schema, SQLite and PostgreSQL).

The tables are created and changed only by the versioned migrations in ``migrations/``
(Alembic); this module describes the current version for the queries in :mod:`.store`.

* ``inspection``: one row per inspection (its ``inspection.toml`` facts, and whether the
  ratings panel has signed it off, which locks it);
* ``inspected_case``: one row per case: sample, attributes, its answers (question id ->
  answer, one JSON object: migration 0007), capture status, and the reason an exclusion rule
  gave, if any;
* ``judgement``, ``moderation``, ``panel_decision``: what ``judgements.toml`` holds;
* ``qa_draw``, ``qa_case``, ``second_answer``, ``reconciled_answer``: quality assurance
  (issue 15): the cases drawn for a blind second assessment, its answers, and the answers the
  lead inspector reconciled (:mod:`.qa`);
* ``audit``: every change, append-only (database triggers refuse UPDATE, DELETE and, on
  PostgreSQL, TRUNCATE); a trigger on ``inspection`` refuses a change of its lock state that
  the audit does not record.

An inspection keeps a snapshot of its profile (``profile_snapshot``: the resolved profile as
TOML, the framework edition and the version of every plugin that contributed a standard),
taken when it is imported, so that a signed-off rating never changes when a profile file or
a plugin does.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

#: The schema version this program writes: the newest migration in ``migrations/versions``
#: (tests/test_store.py checks they agree).
SCHEMA_VERSION = "0007"

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
    # {"toml": resolved profile, "edition", "plugins": {name: version}, "recorded_at"};
    # None for an inspection imported before snapshots were kept (schema 0001).
    Column("profile_snapshot", JSON, nullable=True),
)

inspected_case = Table(
    "inspected_case", metadata,
    Column("id", Integer, primary_key=True),
    Column("inspection_id", Integer, ForeignKey("inspection.id"), nullable=False),
    Column("case_id", String(200), nullable=False),
    Column("sample", String(100), nullable=False),
    Column("attributes", JSON, nullable=False),
    # question id -> answer, in the order given: read and written whole (migration 0007)
    Column("answers", JSON, nullable=False, server_default="{}"),
    Column("status", String(20), nullable=False),          # complete | in-progress
    Column("excluded", Text, nullable=False, default=""),  # the exclusion's reason, if any
    UniqueConstraint("inspection_id", "case_id"),
)

#: Each inspection's contribution to a pooled "all providers" comparator, kept so a report
#: does not rate the whole store again (migration 0005): whether it can be rated and its key
#: questions' ("yes", applicable), as of ``version`` (its newest audit entry) and ``rules``
#: (a digest of its resolved profile and the versions of hmip-inspect and its plugins).
#: Derived data: recomputed whenever either differs, never audited.
pooled_figures = Table(
    "pooled_figures", metadata,
    Column("inspection_id", Integer, ForeignKey("inspection.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("rules", String(64), nullable=False),
    Column("figures", JSON, nullable=False),
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

qa_draw = Table(
    "qa_draw", metadata,
    Column("id", Integer, primary_key=True),
    Column("inspection_id", Integer, ForeignKey("inspection.id"), nullable=False),
    Column("share", Float, nullable=False),                # per cent of each sample's cases
    Column("seed", String(100), nullable=False),
    Column("who", String(200), nullable=False),
    Column("at", String(40), nullable=False),
    Column("cases", JSON, nullable=False),                 # the case ids drawn
)

qa_case = Table(
    "qa_case", metadata,
    Column("case_pk", Integer, ForeignKey("inspected_case.id", ondelete="CASCADE"), primary_key=True),
    Column("inspection_id", Integer, ForeignKey("inspection.id"), nullable=False),
    Column("draw_id", Integer, ForeignKey("qa_draw.id"), nullable=True),  # None: imported undrawn
    Column("first_assessor", String(200), nullable=False),
    Column("second_assessor", String(200), nullable=True),
    Column("status", String(20), nullable=False),          # drawn | in-progress | submitted
    Column("submitted_at", String(40), nullable=True),
    # the first assessment as it stood when the second was submitted: the pair agreement keeps
    Column("first_answers", JSON, nullable=True),
)

second_answer = Table(
    "second_answer", metadata,
    Column("case_pk", Integer, ForeignKey("inspected_case.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

reconciled_answer = Table(
    "reconciled_answer", metadata,
    Column("case_pk", Integer, ForeignKey("inspected_case.id", ondelete="CASCADE"), primary_key=True),
    Column("question_id", String(100), primary_key=True),
    Column("value", Text, nullable=False),
    Column("first", Text, nullable=False),
    Column("second", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("who", String(200), nullable=False),
    Column("at", String(40), nullable=False),
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


# The web application's users, grants, sessions and login throttle (migration 0003).
app_user = Table(
    "app_user", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(40), nullable=False),
)

user_grant = Table(
    "user_grant", metadata,
    Column("user_id", Integer, ForeignKey("app_user.id"), primary_key=True),
    Column("inspection_id", Integer, ForeignKey("inspection.id"), primary_key=True),
)

web_session = Table(
    "web_session", metadata,
    Column("id_hash", String(64), primary_key=True),     # SHA-256 of the session id
    Column("user_id", Integer, ForeignKey("app_user.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
)

login_failure = Table(
    "login_failure", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(300), nullable=False),          # "user:NAME" or "address:IP"
    Column("at", Float, nullable=False),
)

web_setting = Table(
    "web_setting", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

user_audit = Table(
    "user_audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(40), nullable=False),
    Column("who", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("item", String(200)),
    Column("old", Text),
    Column("new", Text),
)


#: Tables the application only reads and appends to.
APPEND_ONLY_TABLES = ("audit", "user_audit")


def grant_statements(role: str) -> list[str]:
    """SQL giving a PostgreSQL ``role`` what the application needs and no more.

    The role reads and writes the data tables, reads and appends to the audit (no UPDATE,
    DELETE or TRUNCATE: triggers refuse them even for the owner, but the role is not even
    granted them), and owns nothing, so it cannot drop or disable a trigger. The store's owner
    (an administrator) creates and upgrades the store.
    """
    quoted = '"' + role.replace('"', '""') + '"'
    data = [table.name for table in metadata.sorted_tables if table.name not in APPEND_ONLY_TABLES]
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted};",
        f"GRANT SELECT ON alembic_version TO {quoted};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(data)} TO {quoted};",
        f"GRANT SELECT, INSERT ON {', '.join(APPEND_ONLY_TABLES)} TO {quoted};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted};",
    ]
