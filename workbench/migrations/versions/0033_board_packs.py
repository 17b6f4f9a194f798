"""board packs: storyboard packs per audience, the team's commentary per section, the pack
of each published version

Revision ID: 0033_board_packs
Revises: 0030_feeds
Create Date: 2026-12-04 23:50:00

Every workspace gets the three starting packs (Board, Leadership team, Front line); versions
published before packs existed held every section, so they are recorded as the Leadership
team pack. The two columns are added to storyboard_snapshot without rebuilding it on SQLite
(rebuilding would drop the table, and dropping it deletes its share links by cascade).
"""

import sqlalchemy as sa
from alembic import op

revision = "0033_board_packs"
down_revision = "0030_feeds"
branch_labels = None
depends_on = None

ALL = "summary,perspective,assessment,alignment,operating,metrics,roadmap,risks,decisions,appendix"
DEFAULTS = (
    ("board", "Board", "summary,perspective,risks,decisions,appendix"),
    ("leadership-team", "Leadership team", ALL),
    ("front-line", "Front line", "summary,operating,metrics"),
)


def _scoped_table(name, unique, *columns):
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *columns,
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f(f"fk_{name}_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        *(
            sa.UniqueConstraint(
                "workspace_id", column, name=op.f(f"uq_{name}_workspace_id_{column}")
            )
            for column in unique
        ),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_workspace_id"), ["workspace_id"], unique=False)


def upgrade():
    _scoped_table(
        "storyboard_pack",
        ("code", "name"),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("sections", sa.String(length=200), nullable=False),
    )
    _scoped_table(
        "section_commentary",
        ("section",),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    with op.batch_alter_table("storyboard_snapshot", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column(
                "pack_key", sa.String(length=60), nullable=False, server_default="leadership-team"
            )
        )
        batch_op.add_column(
            sa.Column(
                "pack_name", sa.String(length=80), nullable=False, server_default="Leadership team"
            )
        )
        batch_op.create_index(
            batch_op.f("ix_storyboard_snapshot_pack_key"), ["pack_key"], unique=False
        )
    for key, name, sections in DEFAULTS:
        op.execute(
            sa.text(
                "INSERT INTO storyboard_pack "
                "(code, name, sections, version, created_at, updated_at, workspace_id) "
                "SELECT :key, :name, :sections, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, id "
                "FROM workspace"
            ).bindparams(key=key, name=name, sections=sections)
        )


def downgrade():
    with op.batch_alter_table("storyboard_snapshot", schema=None, recreate="never") as batch_op:
        batch_op.drop_index(batch_op.f("ix_storyboard_snapshot_pack_key"))
        batch_op.drop_column("pack_name")
        batch_op.drop_column("pack_key")
    with op.batch_alter_table("section_commentary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_commentary_workspace_id"))
    op.drop_table("section_commentary")
    with op.batch_alter_table("storyboard_pack", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storyboard_pack_workspace_id"))
    op.drop_table("storyboard_pack")
