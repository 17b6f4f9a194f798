"""feed holds: days a feed leaves alone because a person deleted the reading it wrote

Revision ID: 0036_feed_holds
Revises: 0034_branding
Create Date: 2026-12-05 02:45:00

One new table, one row per feed, day and site a person deleted the feed's reading of, with
who and when; and a count of such rows on each feed run (0 for the runs before). The
downgrade drops both: feeds then write those days again at their next run.
"""

import sqlalchemy as sa
from alembic import op

revision = "0036_feed_holds"
down_revision = "0034_branding"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_by", sa.String(length=254), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["metric_feed.id"],
            name=op.f("fk_feed_hold_feed_id_metric_feed"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_feed_hold_site_id_site"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"],
            ["user_account.id"],
            name=op.f("fk_feed_hold_deleted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_feed_hold_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_hold")),
        sa.UniqueConstraint(
            "feed_id", "measured_on", "site_id", name=op.f("uq_feed_hold_feed_id_measured_on_site_id")
        ),
    )
    with op.batch_alter_table("feed_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_hold_feed_id"), ["feed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feed_hold_site_id"), ["site_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_feed_hold_workspace_id"), ["workspace_id"], unique=False
        )
    op.create_index(
        "uq_feed_hold_organisation_day",
        "feed_hold",
        ["feed_id", "measured_on"],
        unique=True,
        sqlite_where=sa.text("site_id IS NULL"),
        postgresql_where=sa.text("site_id IS NULL"),
    )
    with op.batch_alter_table("feed_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rows_held", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("feed_run", schema=None) as batch_op:
        batch_op.drop_column("rows_held")
    op.drop_index("uq_feed_hold_organisation_day", table_name="feed_hold")
    with op.batch_alter_table("feed_hold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_hold_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_feed_hold_site_id"))
        batch_op.drop_index(batch_op.f("ix_feed_hold_feed_id"))
    op.drop_table("feed_hold")
