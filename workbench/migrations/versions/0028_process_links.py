"""process links: process departments and initiatives, functions involved, approach decision

Revision ID: 0028_process_links
Revises: 0025_drills
Create Date: 2026-12-04 21:00:00

New columns default to empty (no department, not involved, nothing decided) and one new
link table; the downgrade drops them, with every link. The columns are added and dropped in
place (recreate="never"): rebuilding the workspace or process table on SQLite would drop
the old table, and with foreign keys on that deletes every row that cascades from it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_process_links"
down_revision = "0025_drills"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("process", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("department", sa.String(length=80), server_default="", nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_process_department"), ["department"], unique=False)
    with op.batch_alter_table("department", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("involved", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("workspace", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("approach_prevent_target", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("approach_rationale", sa.Text(), server_default="", nullable=False)
        )
    op.create_table(
        "process_initiative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["process.id"],
            name=op.f("fk_process_initiative_process_id_process"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_process_initiative_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_process_initiative_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_initiative")),
        sa.UniqueConstraint(
            "process_id",
            "initiative_id",
            name=op.f("uq_process_initiative_process_id_initiative_id"),
        ),
    )
    with op.batch_alter_table("process_initiative", schema=None) as batch_op:
        for column in ("process_id", "initiative_id", "workspace_id"):
            batch_op.create_index(
                batch_op.f(f"ix_process_initiative_{column}"), [column], unique=False
            )


def downgrade():
    with op.batch_alter_table("process_initiative", schema=None) as batch_op:
        for column in ("workspace_id", "initiative_id", "process_id"):
            batch_op.drop_index(batch_op.f(f"ix_process_initiative_{column}"))
    op.drop_table("process_initiative")
    with op.batch_alter_table("workspace", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("approach_rationale")
        batch_op.drop_column("approach_prevent_target")
    with op.batch_alter_table("department", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("involved")
    with op.batch_alter_table("process", schema=None, recreate="never") as batch_op:
        batch_op.drop_index(batch_op.f("ix_process_department"))
        batch_op.drop_column("department")
