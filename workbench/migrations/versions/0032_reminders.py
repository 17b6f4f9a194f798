"""reminders: each person's reminder choices, the log of reminders sent, statuses last seen

Revision ID: 0032_reminders
Revises: 0029_sites
Create Date: 2026-12-04 23:50:00

Three new tables and no change to existing ones, so nothing is rebuilt on SQLite. The
sent log's occurrence is unique: inserting it is how a run claims a reminder before its
message leaves, so two runs (or two processes) never send the same one twice.
"""

import sqlalchemy as sa
from alembic import op

revision = "0032_reminders"
down_revision = "0029_sites"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reminder_preference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("metric_due", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("metric_overdue", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("goal_status", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("initiative_late", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_reminder_preference_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_preference")),
        sa.UniqueConstraint("user_id", name=op.f("uq_reminder_preference_user_id")),
    )
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_reminder_sent_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_reminder_sent_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sent")),
        sa.UniqueConstraint("occurrence", name=op.f("uq_reminder_sent_occurrence")),
    )
    op.create_index(op.f("ix_reminder_sent_user_id"), "reminder_sent", ["user_id"])
    op.create_index(op.f("ix_reminder_sent_workspace_id"), "reminder_sent", ["workspace_id"])
    op.create_table(
        "reminder_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_reminder_state_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_state")),
        sa.UniqueConstraint(
            "subject", "subject_id", name=op.f("uq_reminder_state_subject_subject_id")
        ),
    )
    op.create_index(op.f("ix_reminder_state_workspace_id"), "reminder_state", ["workspace_id"])


def downgrade():
    op.drop_index(op.f("ix_reminder_state_workspace_id"), table_name="reminder_state")
    op.drop_table("reminder_state")
    op.drop_index(op.f("ix_reminder_sent_workspace_id"), table_name="reminder_sent")
    op.drop_index(op.f("ix_reminder_sent_user_id"), table_name="reminder_sent")
    op.drop_table("reminder_sent")
    op.drop_table("reminder_preference")
