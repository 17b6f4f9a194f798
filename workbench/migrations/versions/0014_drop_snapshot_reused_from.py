"""drop storyboard_snapshot.reused_from

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 10:00:00

Nothing ever wrote the column: an unchanged storyboard reuses the latest snapshot itself
instead of storing a second one that points back. The downgrade restores the empty column.

recreate="never": SQLite (3.35 and later) drops the column in place. A rebuilt table would be
dropped and renamed, and with foreign keys on, dropping it deletes every share link of every
snapshot through their ON DELETE CASCADE.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("storyboard_snapshot", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("reused_from")


def downgrade():
    with op.batch_alter_table("storyboard_snapshot", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("reused_from", sa.Integer(), nullable=True))
