"""recovery drills: playbook scenarios rehearsed on purpose, with their results

Revision ID: 0025_drills
Revises: 0026_stories_training
Create Date: 2026-12-04 20:50:00

One new table and nothing else changes: the downgrade drops it, with every drill.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_drills"
down_revision = "0026_stories_training"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "drill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("site", sa.String(length=160), nullable=False),
        sa.Column("customer_role", sa.String(length=120), nullable=False),
        sa.Column("facilitator", sa.String(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "done",
                "cancelled",
                name="drill_status",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("detected", sa.Boolean(), nullable=False),
        sa.Column("detected_by", sa.String(length=160), nullable=False),
        sa.Column("detection_minutes", sa.Integer(), nullable=True),
        sa.Column("contact_minutes", sa.Integer(), nullable=True),
        sa.Column("message_used", sa.Text(), nullable=False),
        sa.Column("remedy_given", sa.Text(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("escalated_to", sa.String(length=120), nullable=False),
        sa.Column("compensation_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "detection_minutes IS NULL OR detection_minutes >= 0",
            name=op.f("ck_drill_detection_not_negative"),
        ),
        sa.CheckConstraint(
            "contact_minutes IS NULL OR contact_minutes >= 0",
            name=op.f("ck_drill_contact_not_negative"),
        ),
        sa.CheckConstraint(
            "compensation_amount IS NULL OR compensation_amount >= 0",
            name=op.f("ck_drill_compensation_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["failure_scenario.id"],
            name=op.f("fk_drill_scenario_id_failure_scenario"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_drill_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill")),
    )
    with op.batch_alter_table("drill", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drill_scenario_id"), ["scenario_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_drill_workspace_id"), ["workspace_id"], unique=False)


def downgrade():
    with op.batch_alter_table("drill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drill_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_drill_scenario_id"))
    op.drop_table("drill")
