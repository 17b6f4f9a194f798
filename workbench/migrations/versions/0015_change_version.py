"""change.version: the row's version after each audited change

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 11:00:00

A stale save merges instead of refusing: it rebuilds the values its form was loaded at
from the changes recorded since that version. Entries written before this revision have
no version (NULL), and a save that would need them falls back to asking about every
differing field. recreate="never": adding a nullable column and an index needs no table
rebuild on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("change", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
    op.create_index("ix_change_entity_row", "change", ["entity", "entity_id", "version"])


def downgrade():
    op.drop_index("ix_change_entity_row", table_name="change")
    with op.batch_alter_table("change", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("version")
