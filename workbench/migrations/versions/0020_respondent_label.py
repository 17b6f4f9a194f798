"""assessment_response.respondent_label: answers of respondents known only by a name

Revision ID: 0019_respondent_label
Revises: 0019_business_case
Create Date: 2026-12-04 16:00:00

An answer belongs either to a member's account (respondent_id) or to a respondent of the
workspace known only by a name (respondent_label), such as a person whose answers came in
with a restored backup. Exactly one of the two is set (a check constraint). The single
unique constraint on workspace, instrument, question and account becomes two: one for
accounts and one for labels; NULLs never collide in a unique constraint on SQLite or
PostgreSQL, so each row is held to the one that names its respondent.

Existing answers all belong to accounts and stay as they are. The downgrade cannot give a
labelled answer an account, so it deletes the labelled answers before respondent_id is
required again.

SQLite rebuilds the table (a column turns nullable, constraints change); no other table
refers to assessment_response, so nothing cascades from the rebuild.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_respondent_label"
down_revision = "0019_business_case"
branch_labels = None
depends_on = None

OLD_UNIQUE = "uq_assessment_response_workspace_id_instrument_key_question_key_respondent_id"
CHECK = "ck_assessment_response_one_respondent"


def upgrade():
    with op.batch_alter_table("assessment_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("respondent_label", sa.String(length=254), nullable=True))
        batch_op.alter_column("respondent_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(batch_op.f(OLD_UNIQUE), type_="unique")
        batch_op.create_unique_constraint(
            "uq_assessment_response_account",
            ["workspace_id", "instrument_key", "question_key", "respondent_id"],
        )
        batch_op.create_unique_constraint(
            "uq_assessment_response_label",
            ["workspace_id", "instrument_key", "question_key", "respondent_label"],
        )
        batch_op.create_check_constraint(
            batch_op.f(CHECK), "(respondent_id IS NULL) <> (respondent_label IS NULL)"
        )


def downgrade():
    op.execute(sa.text("DELETE FROM assessment_response WHERE respondent_id IS NULL"))
    with op.batch_alter_table("assessment_response", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(CHECK), type_="check")
        batch_op.drop_constraint("uq_assessment_response_label", type_="unique")
        batch_op.drop_constraint("uq_assessment_response_account", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f(OLD_UNIQUE),
            ["workspace_id", "instrument_key", "question_key", "respondent_id"],
        )
        batch_op.alter_column("respondent_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("respondent_label")
