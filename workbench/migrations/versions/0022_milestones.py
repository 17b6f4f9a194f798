"""milestones of initiatives; an initiative's percentage complete and its baseline dates

Revision ID: 0022_milestones
Revises: 0019_departments
Create Date: 2026-12-04 18:30:00

Each milestone belongs to one initiative and goes with it. An initiative gains the
percentage of its work the team judges done (0 to 100, or not given) and the start and end
it was first approved with. The upgrade takes the baseline of work already approved, in
progress or done from its current dates: they are the best record there is of the plan.
The downgrade drops the milestones and the three columns.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_milestones"
down_revision = "0019_departments"
branch_labels = None
depends_on = None

CHECK = "ck_initiative_percent_complete_range"


def upgrade():
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.add_column(sa.Column("percent_complete", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("baseline_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("baseline_end", sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f(CHECK),
            "percent_complete IS NULL OR (percent_complete >= 0 AND percent_complete <= 100)",
        )
    op.execute(
        sa.text(
            "UPDATE initiative SET baseline_start = start_date, baseline_end = end_date "
            "WHERE status IN ('approved', 'in_progress', 'done') "
            "AND (start_date IS NOT NULL OR end_date IS NOT NULL)"
        )
    )
    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_milestone_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_milestone_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_initiative_id"), ["initiative_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_milestone_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_milestone_initiative_id"))
    op.drop_table("milestone")
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(CHECK), type_="check")
        batch_op.drop_column("baseline_end")
        batch_op.drop_column("baseline_start")
        batch_op.drop_column("percent_complete")
