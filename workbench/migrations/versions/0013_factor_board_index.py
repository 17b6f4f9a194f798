"""factor board index: workspace, category and position together

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 06:05:00

The board's order, the next position within a category and the counts per category were
each read by scanning every factor of the workspace; a workshop adding factors by the
hundred made every add slower than the one before.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("factor", schema=None) as batch_op:
        batch_op.create_index(
            "ix_factor_board", ["workspace_id", "category", "position"], unique=False
        )


def downgrade():
    with op.batch_alter_table("factor", schema=None) as batch_op:
        batch_op.drop_index("ix_factor_board")
