"""storyboard narratives: the analyst's perspective and the executive summary

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 01:02:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("analyst_perspective", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("executive_summary", sa.Text(), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("executive_summary")
        batch_op.drop_column("analyst_perspective")
