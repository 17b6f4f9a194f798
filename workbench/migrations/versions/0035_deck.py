"""deck: the editable PowerPoint deck kept beside each newly published storyboard PDF

Revision ID: 0035_deck
Revises: 0031_schedule_claims
Create Date: 2026-12-04 23:50:00

Two nullable columns on storyboard_snapshot: the deck's bytes and its slide count. Versions
published before this revision keep NULL in both and say that they have no deck. The
columns are added and dropped in place (recreate="never"): rebuilding the snapshot table on
SQLite would drop it, and with foreign keys on that deletes every share link that cascades
from it. The downgrade drops the decks.
"""

import sqlalchemy as sa
from alembic import op

revision = "0035_deck"
down_revision = "0031_schedule_claims"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("storyboard_snapshot", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("pptx", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("slide_count", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("storyboard_snapshot", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("slide_count")
        batch_op.drop_column("pptx")
