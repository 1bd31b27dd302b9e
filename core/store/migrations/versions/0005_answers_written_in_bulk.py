"""Answers written in bulk (issue 16): the same table, columns and key, stored and checked for
a bulk insert of thousands of rows per inspection.

* SQLite: ``answer`` becomes a ``WITHOUT ROWID`` table, clustered on its primary key
  (case, question): one B-tree where there were two (the rows and the key's index), so an
  insert writes each answer once and a case's answers are read in one range.
* PostgreSQL: the reference from ``answer.case_pk`` to ``inspected_case`` is checked once per
  statement instead of once per row (a row-level foreign key runs one lookup for each of the
  ~8,000 answers a COPY of an inspection brings): triggers over the statement's new or removed
  rows refuse an answer whose case is not in the store, and a case removed or renumbered while
  answers still refer to it, with the foreign-key error (SQLSTATE 23503). The cases an insert
  refers to are locked ``FOR KEY SHARE``, as a foreign key locks them, so a concurrent deletion
  waits for the insert and then fails. ``TRUNCATE inspected_case`` is refused after the fact
  (an AFTER trigger: the audit's own refusal of a cascading TRUNCATE still comes first) while
  answers remain.

* Both: ``pooled_figures``, each inspection's contribution to a pooled "all providers"
  comparator (whether it can be rated, its key questions' "yes" and applicable counts), kept
  with the inspection's version (its newest audit entry) and a digest of the rules it was
  rated with, and recomputed when either differs: a report in a store of 1,000 inspections
  reads them instead of rating the other 999.

The logical shape of ``answer`` does not change: ``answer (case_pk, question_id, value)``, primary key
``(case_pk, question_id)``; every query and every other branch's table mirroring it stay valid.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MISSING_CASE = "an answer refers to a case that is not in the store"
CASE_IN_USE = "a case cannot be removed or renumbered while answers refer to it"


def upgrade() -> None:
    op.create_table(
        "pooled_figures",
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("rules", sa.String(64), nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()


def _sqlite() -> None:
    op.execute("""
        CREATE TABLE answer_clustered (
            case_pk INTEGER NOT NULL REFERENCES inspected_case (id),
            question_id VARCHAR(100) NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (case_pk, question_id)
        ) WITHOUT ROWID""")
    op.execute("INSERT INTO answer_clustered (case_pk, question_id, value) "
               "SELECT case_pk, question_id, value FROM answer ORDER BY case_pk, question_id")
    op.execute("DROP TABLE answer")
    op.execute("ALTER TABLE answer_clustered RENAME TO answer")


def _postgresql() -> None:
    op.execute("""
        DO $$
        DECLARE name text;
        BEGIN
            FOR name IN SELECT conname FROM pg_constraint
                        WHERE conrelid = 'answer'::regclass AND contype = 'f' LOOP
                EXECUTE format('ALTER TABLE answer DROP CONSTRAINT %I', name);
            END LOOP;
        END $$""")
    op.execute(f"""
        CREATE FUNCTION hmip_answer_case_exists() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM inspected_case
            WHERE id IN (SELECT DISTINCT case_pk FROM new_answers) FOR KEY SHARE;
            IF EXISTS (SELECT 1 FROM new_answers n
                       WHERE NOT EXISTS (SELECT 1 FROM inspected_case c WHERE c.id = n.case_pk)) THEN
                RAISE foreign_key_violation USING MESSAGE = '{MISSING_CASE}';
            END IF;
            RETURN NULL;
        END $$""")
    for event in ("INSERT", "UPDATE"):
        op.execute(f"""
            CREATE TRIGGER answer_case_exists_{event.lower()} AFTER {event} ON answer
            REFERENCING NEW TABLE AS new_answers
            FOR EACH STATEMENT EXECUTE FUNCTION hmip_answer_case_exists()""")
    op.execute(f"""
        CREATE FUNCTION hmip_case_without_answers() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                IF EXISTS (SELECT 1 FROM answer) THEN
                    RAISE foreign_key_violation USING MESSAGE = '{CASE_IN_USE}';
                END IF;
                RETURN NULL;
            END IF;
            IF EXISTS (SELECT 1 FROM old_cases o JOIN answer a ON a.case_pk = o.id
                       WHERE NOT EXISTS (SELECT 1 FROM inspected_case c WHERE c.id = o.id)) THEN
                RAISE foreign_key_violation USING MESSAGE = '{CASE_IN_USE}';
            END IF;
            RETURN NULL;
        END $$""")
    for event in ("DELETE", "UPDATE"):
        op.execute(f"""
            CREATE TRIGGER case_answers_kept_{event.lower()} AFTER {event} ON inspected_case
            REFERENCING OLD TABLE AS old_cases
            FOR EACH STATEMENT EXECUTE FUNCTION hmip_case_without_answers()""")
    op.execute("""
        CREATE TRIGGER case_answers_kept_truncate AFTER TRUNCATE ON inspected_case
        FOR EACH STATEMENT EXECUTE FUNCTION hmip_case_without_answers()""")


def downgrade() -> None:
    raise NotImplementedError("the store is not downgraded: restore a backup instead")
