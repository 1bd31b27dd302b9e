"""Answers kept with their case (issue 16): ``inspected_case.answers``, the case's answers as
one JSON object (question id -> answer), replaces the ``answer`` table of one row per answer.

An import wrote ~8,000 answer rows per inspection of 150 cases, each into a clustered key (and
on PostgreSQL through statement triggers checking each answer's case): about two thirds of the
writing. With the answers in the case's own row an inspection is 150 rows, and an answer can
no longer refer to a case that is not there, so the reference needs no check. Nothing else
relies on the table's shape: the audit keeps one entry per changed answer (an edit rewrites
the case's object in the case's row, locked as before), the counts a rating needs are one
aggregate over ``json_each`` / ``json_each_text``, and the quality-assurance tables keep
their own rows.

Every stored answer is moved into its case's object (in the order of the question ids' bytes,
on both databases), then the table goes,
and on PostgreSQL the triggers and functions of migrations 0005 and 0006 with it.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        for event in ("delete", "update", "truncate"):
            op.execute(f"DROP TRIGGER case_answers_kept_{event} ON inspected_case")
    op.add_column("inspected_case", sa.Column("answers", sa.JSON, nullable=False, server_default="{}"))
    if postgresql:
        op.execute("""
            UPDATE inspected_case AS c SET answers = a.answers
            FROM (SELECT case_pk, json_object_agg(question_id, value ORDER BY question_id COLLATE "C") AS answers
                  FROM answer GROUP BY case_pk) AS a
            WHERE a.case_pk = c.id""")
    else:
        op.execute("""
            UPDATE inspected_case SET answers = (
                SELECT json_group_object(question_id, value)
                FROM (SELECT question_id, value FROM answer
                      WHERE case_pk = inspected_case.id ORDER BY question_id))
            WHERE id IN (SELECT case_pk FROM answer)""")
    op.drop_table("answer")
    if postgresql:
        op.execute("DROP FUNCTION hmip_answer_case_exists()")
        op.execute("DROP FUNCTION hmip_case_without_answers()")


def downgrade() -> None:
    raise NotImplementedError("the store is not downgraded: restore a backup instead")
