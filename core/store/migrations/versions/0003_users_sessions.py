"""Users of the web application, their grants, sessions, login throttle, and their own audit.

* ``app_user``: a user's name, role (admin, lead, inspector, panel, analyst), Argon2 hash of
  the password, and whether the account is disabled (never deleted: the audit names users).
* ``user_grant``: which inspections a user may see (all roles but admin work through grants).
* ``web_session``: server-side sessions: the SHA-256 of the session id (the cookie holds the
  id itself, signed), its user, CSRF token, and when it was last used (inactivity expiry).
* ``login_failure``: failed logins by user name and by address, for the throttle.
* ``web_setting``: the application's secrets (the cookie-signing key), made once per store so
  that every worker process signs alike.
* ``audit_by_case``: an index of the audit by inspection and case, for the web application's
  per-case reads (an answer's version, who last worked on a case).
* ``user_audit``: every change to users and grants (who, when, what, old, new), append-only
  as ``audit`` is (triggers refuse UPDATE and DELETE, and TRUNCATE on PostgreSQL).

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

APPEND_ONLY = "the user audit trail is append-only"


def upgrade() -> None:
    # The audit of one case (an answer's version, who last worked on a case, a case's trail)
    # without reading the whole inspection's audit.
    op.create_index("audit_by_case", "audit", ["inspection_id", "case_id", "id"])
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "user_grant",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("app_user.id"), primary_key=True),
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), primary_key=True),
    )
    op.create_table(
        "web_session",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("login_failure_by_key", "login_failure", ["key", "at"])
    op.create_table(
        "web_setting",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "user_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("item", sa.String(200)),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION hmip_user_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$""")
        op.execute("""
            CREATE TRIGGER user_audit_append_only BEFORE UPDATE OR DELETE ON user_audit
            FOR EACH ROW EXECUTE FUNCTION hmip_user_audit_append_only()""")
        op.execute("""
            CREATE TRIGGER user_audit_no_truncate BEFORE TRUNCATE ON user_audit
            FOR EACH STATEMENT EXECUTE FUNCTION hmip_user_audit_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER user_audit_append_only_{event.lower()} BEFORE {event} ON user_audit
                BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""")


def downgrade() -> None:
    raise NotImplementedError("the store is not downgraded: restore a backup instead")
