"""branding: a logo and an accent colour per workspace for the storyboard

Revision ID: 0034_branding
Revises: 0033_board_packs
Create Date: 2026-12-04 23:45:00

One new table, at most one row per workspace; the logo is stored already remade (a
re-encoded PNG or a rebuilt SVG) beside its PNG rendition. Nothing else changes, so the
downgrade drops the table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0034_branding"
down_revision = "0033_board_packs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "branding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accent", sa.String(length=7), nullable=True),
        sa.Column("logo_kind", sa.String(length=3), nullable=True),
        sa.Column("logo_sha256", sa.String(length=64), nullable=True),
        sa.Column("logo_bytes", sa.Integer(), nullable=True),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("logo_width", sa.Integer(), nullable=True),
        sa.Column("logo_height", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_branding_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branding")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_branding_workspace_id")),
    )
    with op.batch_alter_table("branding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_branding_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("branding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_branding_workspace_id"))
    op.drop_table("branding")
