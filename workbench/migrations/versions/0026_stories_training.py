"""success stories and service training plans

Revision ID: 0026_stories_training
Revises: 0027_method_text
Create Date: 2026-12-04 20:45:00

Three new tables and nothing else changes: the downgrade drops them, with every story
and every training item.
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_stories_training"
down_revision = "0027_method_text"
branch_labels = None
depends_on = None


def _stamps():
    return (
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
    )


def _owned_by_workspace(name):
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspace.id"],
        name=op.f(f"fk_{name}_workspace_id_workspace"),
        ondelete="CASCADE",
    )


def _indexes(name, columns):
    with op.batch_alter_table(name, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{name}_{column}"), [column], unique=False)


def _drop_indexes(name, columns):
    with op.batch_alter_table(name, schema=None) as batch_op:
        for column in columns:
            batch_op.drop_index(batch_op.f(f"ix_{name}_{column}"))


STORY_INDEXES = ("workspace_id", "scenario_id")
TRAINING_INDEXES = ("workspace_id", "department")
LINK_INDEXES = ("workspace_id", "training_id", "scenario_id")


def upgrade():
    op.create_table(
        "success_story",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column("failure", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("customer_name", sa.String(length=120), nullable=False),
        sa.Column("permission", sa.String(length=20), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(length=80), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("featured", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_success_story_rating_range")),
        sa.CheckConstraint(
            "permission IN ('none', 'named', 'anonymous')",
            name=op.f("ck_success_story_permission_known"),
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["failure_scenario.id"],
            name=op.f("fk_success_story_scenario_id_failure_scenario"),
            ondelete="SET NULL",
        ),
        _owned_by_workspace("success_story"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_success_story")),
    )
    _indexes("success_story", STORY_INDEXES)
    op.create_table(
        "training_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=80), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("audience", sa.String(length=160), nullable=False),
        sa.Column("head_count", sa.Integer(), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("empowerment", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "head_count IS NULL OR head_count >= 1", name=op.f("ck_training_item_head_count")
        ),
        _owned_by_workspace("training_item"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_item")),
    )
    _indexes("training_item", TRAINING_INDEXES)
    op.create_table(
        "training_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["training_item.id"],
            name=op.f("fk_training_scenario_training_id_training_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["failure_scenario.id"],
            name=op.f("fk_training_scenario_scenario_id_failure_scenario"),
            ondelete="CASCADE",
        ),
        _owned_by_workspace("training_scenario"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_scenario")),
        sa.UniqueConstraint(
            "training_id", "scenario_id", name=op.f("uq_training_scenario_training_id_scenario_id")
        ),
    )
    _indexes("training_scenario", LINK_INDEXES)


def downgrade():
    _drop_indexes("training_scenario", LINK_INDEXES)
    op.drop_table("training_scenario")
    _drop_indexes("training_item", TRAINING_INDEXES)
    op.drop_table("training_item")
    _drop_indexes("success_story", STORY_INDEXES)
    op.drop_table("success_story")
