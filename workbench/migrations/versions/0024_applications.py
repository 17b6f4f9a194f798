"""application portfolio: the enterprise applications that serve recovery

Revision ID: 0024_applications
Revises: 0023_risks
Create Date: 2026-12-04 21:00:00

One new table and nothing else changes: the downgrade drops it, with every application.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_applications"
down_revision = "0023_risks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("vendor", sa.String(length=160), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("department", sa.String(length=80), nullable=False),
        sa.Column("annual_cost", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("capabilities", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "annual_cost IS NULL OR annual_cost >= 0",
            name=op.f("ck_application_annual_cost_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_application_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_application_department"), ["department"], unique=False)


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_department"))
        batch_op.drop_index(batch_op.f("ix_application_workspace_id"))
    op.drop_table("application")
