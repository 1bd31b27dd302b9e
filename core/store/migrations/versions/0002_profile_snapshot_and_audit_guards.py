"""Profile snapshots; the audit cannot be truncated; a lock-state change needs its audit entry.

* ``inspection.profile_snapshot``: the resolved profile (TOML), framework edition and plugin
  versions an inspection is rated with, recorded at import. Inspections imported before this
  revision have none until a lead inspector adopts the current profile.
* PostgreSQL: ``TRUNCATE audit`` is refused by a trigger, as UPDATE and DELETE already are.
* Both databases: changing ``inspection.locked`` (sign-off, unlock) is refused unless the
  newest audit entry of that inspection records that very change, and an inspection cannot be
  inserted already locked: the lock state cannot move without the audit saying who and why.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LOCK_AUDITED = "the lock state of an inspection changes only with its audit entry (sign-off or unlock)"


def upgrade() -> None:
    with op.batch_alter_table("inspection") as batch:
        batch.add_column(sa.Column("profile_snapshot", sa.JSON, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
            FOR EACH STATEMENT EXECUTE FUNCTION hmip_audit_append_only()""")
        op.execute(f"""
            CREATE FUNCTION hmip_lock_state_audited() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE last_action text;
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    IF NEW.locked THEN RAISE EXCEPTION '{LOCK_AUDITED}'; END IF;
                    RETURN NEW;
                END IF;
                IF NEW.locked IS DISTINCT FROM OLD.locked THEN
                    SELECT action INTO last_action FROM audit
                    WHERE inspection_id = NEW.id ORDER BY id DESC LIMIT 1;
                    IF last_action IS DISTINCT FROM
                            (CASE WHEN NEW.locked THEN 'sign-off' ELSE 'unlock' END) THEN
                        RAISE EXCEPTION '{LOCK_AUDITED}';
                    END IF;
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("""
            CREATE TRIGGER inspection_lock_audited BEFORE INSERT OR UPDATE ON inspection
            FOR EACH ROW EXECUTE FUNCTION hmip_lock_state_audited()""")
    else:
        op.execute(f"""
            CREATE TRIGGER inspection_lock_audited BEFORE UPDATE OF locked ON inspection
            WHEN NEW.locked IS NOT OLD.locked AND COALESCE(
                (SELECT action FROM audit WHERE inspection_id = NEW.id ORDER BY id DESC LIMIT 1), '')
                != (CASE WHEN NEW.locked THEN 'sign-off' ELSE 'unlock' END)
            BEGIN SELECT RAISE(ABORT, '{LOCK_AUDITED}'); END""")
        op.execute(f"""
            CREATE TRIGGER inspection_insert_unlocked BEFORE INSERT ON inspection
            WHEN NEW.locked
            BEGIN SELECT RAISE(ABORT, '{LOCK_AUDITED}'); END""")


def downgrade() -> None:
    raise NotImplementedError("the store is not downgraded: restore a backup instead")
