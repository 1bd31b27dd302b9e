"""Quality assurance (issue 15): the draw of cases for a blind second assessment, the second
assessment's answers, and the lead inspector's reconciled answers.

* ``qa_draw``: one row per draw (share, seed, who, when, the cases drawn);
* ``qa_case``: one row per case assessed twice: who assessed it first and second, whether the
  second assessment is in progress or submitted, and the first assessment as it stood when
  the second was submitted (the pair the agreement figures keep, whatever is corrected later);
* ``second_answer``: the second assessment's answers, one row per question, as ``answer``
  holds the first's;
* ``reconciled_answer``: the answer the lead inspector settled a disagreement on, with the
  two answers it settled and a reason (also in the audit).

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "qa_draw",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), nullable=False),
        sa.Column("share", sa.Float, nullable=False),
        sa.Column("seed", sa.String(100), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("cases", sa.JSON, nullable=False),
    )
    op.create_table(
        "qa_case",
        sa.Column("case_pk", sa.Integer, sa.ForeignKey("inspected_case.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), nullable=False),
        sa.Column("draw_id", sa.Integer, sa.ForeignKey("qa_draw.id"), nullable=True),
        sa.Column("first_assessor", sa.String(200), nullable=False),
        sa.Column("second_assessor", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submitted_at", sa.String(40), nullable=True),
        sa.Column("first_answers", sa.JSON, nullable=True),
    )
    op.create_index("qa_case_by_inspection", "qa_case", ["inspection_id"])
    op.create_table(
        "second_answer",
        sa.Column("case_pk", sa.Integer, sa.ForeignKey("inspected_case.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("question_id", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "reconciled_answer",
        sa.Column("case_pk", sa.Integer, sa.ForeignKey("inspected_case.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("question_id", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("first", sa.Text, nullable=False),
        sa.Column("second", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is not downgraded: restore a backup instead")
