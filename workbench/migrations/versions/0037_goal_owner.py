"""goal owner: who hears about a goal, when that is not its metric's owner

Revision ID: 0037_goal_owner
Revises: 0034_branding
Create Date: 2026-12-05 02:45:00

One free-text column on goal, as long as a metric's owner. Existing goals get an empty
owner, which means the metric's owner: nobody's reminders change on upgrade. The column is
added and dropped in place (recreate="never"), so SQLite does not rebuild the goal table.
The downgrade drops the goals' own owners.
"""

import sqlalchemy as sa
from alembic import op

revision = "0037_goal_owner"
down_revision = "0036_feed_holds"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("goal", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("owner", sa.String(length=120), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("goal", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("owner")
