"""schedule claims and the tick lease

Revision ID: 0031_schedule_claims
Revises: 0032_reminders
Create Date: 2026-12-04 23:40:00

Two new tables and nothing else changed, so no table is rebuilt on SQLite. A claim's key is
unique: that constraint is what lets one host of several run a due occurrence and the others
find it taken. The lease table holds one row per loop (the tick), keyed by its name.
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_schedule_claims"
down_revision = "0032_reminders"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "schedule_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "running", "done", "failed", name="claim_outcome", native_enum=False, length=10
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_schedule_claim_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_claim")),
        sa.UniqueConstraint("key", name=op.f("uq_schedule_claim_key")),
    )
    with op.batch_alter_table("schedule_claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_claim_claimed_at"), ["claimed_at"])
        batch_op.create_index(batch_op.f("ix_schedule_claim_outcome"), ["outcome"])
        batch_op.create_index(batch_op.f("ix_schedule_claim_source"), ["source"])
        batch_op.create_index(batch_op.f("ix_schedule_claim_workspace_id"), ["workspace_id"])
    op.create_table(
        "schedule_lease",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_schedule_lease")),
    )


def downgrade():
    op.drop_table("schedule_lease")
    with op.batch_alter_table("schedule_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_claim_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_claim_source"))
        batch_op.drop_index(batch_op.f("ix_schedule_claim_outcome"))
        batch_op.drop_index(batch_op.f("ix_schedule_claim_claimed_at"))
    op.drop_table("schedule_claim")
