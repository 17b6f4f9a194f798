"""department register: one row per department a workspace names, with its display name

Revision ID: 0019_departments
Revises: 0019_respondent_label
Create Date: 2026-12-04 15:40:00

Initiatives, metrics and communication plans keep naming their department by a key (the
text they hold today), and the register gives each key a display name. The upgrade makes one
register row per distinct department text of each workspace: known short keys get their
usual name ("it" -> "IT", "hr" -> "Human resources"), other lowercase keys are capitalised
("customer service" -> "Customer service"), and text typed with a capital letter is kept as
typed. The downgrade drops the register; the rows still hold their keys, so nothing else
changes either way. The naming rule is copied here on purpose: a migration must keep
giving the same result whatever the application code later becomes.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0019_departments"
down_revision = "0019_respondent_label"
branch_labels = None
depends_on = None

KNOWN = {
    "it": "IT",
    "hr": "Human resources",
    "cs": "Customer service",
    "cx": "Customer experience",
    "qa": "Quality assurance",
    "pr": "Public relations",
    "r&d": "Research and development",
    "ops": "Operations",
    "service": "Customer service",
}
ACRONYMS = {"it", "hr", "cx", "ux", "qa", "pr", "r&d", "crm", "csm", "ops", "bi", "ai"}
SOURCES = ("initiative", "metric", "communication_plan")


def display_name(key):
    """The display name a department key starts with."""
    text = " ".join(key.replace("_", " ").split())
    if text.lower() in KNOWN:
        return KNOWN[text.lower()]
    if text != text.lower():
        return text[:80]
    words = [w.upper() if w in ACRONYMS else w for w in text.split()]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)[:80]


def upgrade():
    department = op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_department_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_department_workspace_id_key")),
    )
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_department_workspace_id"), ["workspace_id"], unique=False
        )
    connection = op.get_bind()
    named = set()
    for table in SOURCES:
        rows = connection.execute(
            sa.text(
                f"SELECT DISTINCT workspace_id, department FROM {table} "  # noqa: S608
                "WHERE department IS NOT NULL AND department <> ''"
            )
        )
        named.update((workspace_id, key) for workspace_id, key in rows if key.strip())
    now = datetime.now(UTC)
    if named:
        op.bulk_insert(
            department,
            [
                {
                    "key": key,
                    "name": display_name(key),
                    "description": "",
                    "owner": "",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "workspace_id": workspace_id,
                }
                for workspace_id, key in sorted(named)
            ],
        )


def downgrade():
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_department_workspace_id"))
    op.drop_table("department")
