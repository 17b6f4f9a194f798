"""risk register: risks, the barriers they come from and the initiatives that mitigate them

Revision ID: 0023_risks
Revises: 0022_milestones
Create Date: 2026-12-04 18:30:00

Three new tables and nothing else changes: the downgrade drops them, with every risk.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_risks"
down_revision = "0022_milestones"
branch_labels = None
depends_on = None


def _stamps():
    return (
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
    )


def _link(name, target):
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column(f"{target}_id", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risk.id"], name=op.f(f"fk_{name}_risk_id_risk"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            [f"{target}_id"],
            [f"{target}.id"],
            name=op.f(f"fk_{name}_{target}_id_{target}"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f(f"fk_{name}_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("risk_id", f"{target}_id", name=op.f(f"uq_{name}_risk_id_{target}_id")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_risk_id"), ["risk_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{name}_{target}_id"), [f"{target}_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{name}_workspace_id"), ["workspace_id"], unique=False)


def upgrade():
    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "mitigating",
                "closed",
                "accepted",
                name="risk_status",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_risk_likelihood_range")),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risk_impact_range")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_risk_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk")),
    )
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_workspace_id"), ["workspace_id"], unique=False)
    _link("risk_factor", "factor")
    _link("risk_initiative", "initiative")


def downgrade():
    for name, target in (("risk_initiative", "initiative"), ("risk_factor", "factor")):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_workspace_id"))
            batch_op.drop_index(batch_op.f(f"ix_{name}_{target}_id"))
            batch_op.drop_index(batch_op.f(f"ix_{name}_risk_id"))
        op.drop_table(name)
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_workspace_id"))
    op.drop_table("risk")
