"""economics_case.current_recovery_rate: today's rate, the baseline of the increment

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 13:00:00

The economics measure the programme on the complaints it recovers beyond today's rate.
When no Recovery rate metric has been measured the team enters today's rate here; rows
saved before this revision have none (NULL). recreate="never": adding a nullable column
needs no table rebuild on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("economics_case", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("current_recovery_rate", sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table("economics_case", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("current_recovery_rate")
