"""The answer-to-case reference on PostgreSQL checked in one pass over a statement's answers
(issue 16: a ``COPY`` of an inspection's ~8,000 answers).

Migration 0005's statement trigger read the statement's new answers twice (once to lock their
cases, once for an answer without its case): about 7 ms of a 16 ms ``COPY``, measured on the
benchmark's inspections. The function now gathers the distinct cases once (an array), locks
them ``FOR KEY SHARE`` by their primary key, as a foreign key would, and refuses the statement
with the foreign-key error (SQLSTATE 23503) when fewer cases were found than were named: the
same rule, the same error, about 1 ms. The triggers themselves are unchanged.

SQLite: nothing changes (its foreign key stays a declared one).

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MISSING_CASE = "an answer refers to a case that is not in the store"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
        CREATE OR REPLACE FUNCTION hmip_answer_case_exists() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            named integer[];
            found bigint;
        BEGIN
            SELECT array_agg(DISTINCT case_pk) INTO named FROM new_answers;
            SELECT count(*) INTO found
            FROM (SELECT 1 FROM inspected_case WHERE id = ANY (named) FOR KEY SHARE) AS locked;
            IF found <> coalesce(cardinality(named), 0) THEN
                RAISE foreign_key_violation USING MESSAGE = '{MISSING_CASE}';
            END IF;
            RETURN NULL;
        END $$""")


def downgrade() -> None:
    raise NotImplementedError("the store is not downgraded: restore a backup instead")
