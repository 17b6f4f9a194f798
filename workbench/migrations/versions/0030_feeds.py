"""feeds: a metric's measurements read from a database or a file on a schedule

Revision ID: 0030_feeds
Revises: 0035_deck
Create Date: 2026-12-04 23:50:00

Adds the feed of a metric (one at most), the record of each run, and on every measurement
the feed that wrote it. That column has no database constraint: SQLite could add one only
by rebuilding the measurement table, which would have to carry the partial unique index of
the organisation's readings across; the feed service clears the column when a feed goes.
The downgrade drops the feeds; the readings they wrote stay, as if entered by hand.
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_feeds"
down_revision = "0035_deck"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "metric_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("sql", "file", name="feed_kind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("url_encrypted", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=False),
        sa.Column(
            "schedule",
            sa.Enum(
                "daily", "weekly", "monthly", name="feed_schedule", native_enum=False, length=10
            ),
            nullable=False,
        ),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
            name=op.f("fk_metric_feed_metric_id_metric"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_metric_feed_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_feed")),
        sa.UniqueConstraint("metric_id", name=op.f("uq_metric_feed_metric_id")),
    )
    with op.batch_alter_table("metric_feed", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_metric_feed_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_metric_feed_next_run_at"), ["next_run_at"], unique=False
        )
    op.create_table(
        "feed_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "running",
                "succeeded",
                "rejected",
                "failed",
                name="feed_outcome",
                native_enum=False,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.JSON(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["metric_feed.id"],
            name=op.f("fk_feed_run_feed_id_metric_feed"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["job.id"], name=op.f("fk_feed_run_job_id_job"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_feed_run_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_run")),
    )
    with op.batch_alter_table("feed_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_run_feed_id"), ["feed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feed_run_job_id"), ["job_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_feed_run_workspace_id"), ["workspace_id"], unique=False
        )
    # recreate="never": one nullable column and an index need no rebuild (see above).
    with op.batch_alter_table("measurement", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("feed_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_measurement_feed_id"), ["feed_id"], unique=False)


def downgrade():
    with op.batch_alter_table("measurement", schema=None, recreate="never") as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurement_feed_id"))
        batch_op.drop_column("feed_id")
    with op.batch_alter_table("feed_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_run_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_feed_run_job_id"))
        batch_op.drop_index(batch_op.f("ix_feed_run_feed_id"))
    op.drop_table("feed_run")
    with op.batch_alter_table("metric_feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_feed_next_run_at"))
        batch_op.drop_index(batch_op.f("ix_metric_feed_workspace_id"))
    op.drop_table("metric_feed")
