"""The inspection store: inspections, cases, answers, decisions and the audit trail.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = "the audit trail is append-only"


def upgrade() -> None:
    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("profile", sa.String(200), nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("fieldwork", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "inspected_case",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), nullable=False),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("sample", sa.String(100), nullable=False),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("excluded", sa.Text, nullable=False),
        sa.UniqueConstraint("inspection_id", "case_id"),
    )
    op.create_table(
        "answer",
        sa.Column("case_pk", sa.Integer, sa.ForeignKey("inspected_case.id"), primary_key=True),
        sa.Column("question_id", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    for name, columns in (
        ("judgement", [sa.Column("rating", sa.String(40), nullable=False),
                       sa.Column("evidence", sa.Text, nullable=False)]),
        ("moderation", [sa.Column("direction", sa.Integer, nullable=False),
                        sa.Column("rationale", sa.Text, nullable=False),
                        sa.Column("ratified", sa.Boolean, nullable=False)]),
        ("panel_decision", [sa.Column("direction", sa.Integer, nullable=False),
                            sa.Column("rationale", sa.Text, nullable=False)]),
    ):
        op.create_table(
            name,
            sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), primary_key=True),
            sa.Column("standard", sa.String(20), primary_key=True),
            *columns,
        )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("case_id", sa.String(200)),
        sa.Column("item", sa.String(100)),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("audit_by_inspection", "audit", ["inspection_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION hmip_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$""")
        op.execute("""
            CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
            FOR EACH ROW EXECUTE FUNCTION hmip_audit_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_append_only_{event.lower()} BEFORE {event} ON audit
                BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""")


def downgrade() -> None:
    raise NotImplementedError("the store is not downgraded: restore a backup instead")
