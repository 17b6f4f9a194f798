"""sites: a register of sites, an optional site on every measurement, a roll-up rule per metric

Revision ID: 0029_sites
Revises: 0028_process_links
Create Date: 2026-12-04 21:00:00

A measurement was unique per metric and day; it becomes unique per metric, day and site,
with the organisation-level readings (no site) still unique per day. A unique constraint
lets NULLs repeat (on both databases), so the organisation's readings get a partial unique
index (WHERE site_id IS NULL), which SQLite and PostgreSQL both enforce. The measurement
table is rebuilt on SQLite (nothing refers to a reading, so nothing cascades); the metric
table is only added to: rebuilding it would drop it, and dropping it deletes its goals and
readings through their cascades. So the volume metric a metric is weighted by has no
database constraint; the metric service clears it when that metric is deleted. The
downgrade deletes every site-level reading first, since the old constraint could not hold
them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_sites"
down_revision = "0028_process_links"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "hotel",
                "station",
                "branch",
                "region",
                "other",
                name="site_kind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["site.id"], name=op.f("fk_site_parent_id_site"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_site_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_site_workspace_id_name")),
    )
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_workspace_id"), ["workspace_id"], unique=False)
    # recreate="never": two nullable columns need no rebuild (see above).
    with op.batch_alter_table("metric", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column(
                "rollup",
                sa.Enum(
                    "sum",
                    "mean",
                    "weighted_mean",
                    "min",
                    "max",
                    name="metric_rollup",
                    native_enum=False,
                    length=20,
                ),
                nullable=True,
                server_default="mean",
            )
        )
        batch_op.add_column(sa.Column("rollup_weight_metric_id", sa.Integer(), nullable=True))
    # Counts and money add up across sites; everything else (rates, scores, times) averages.
    op.execute("UPDATE metric SET rollup = 'sum' WHERE unit IN ('count', 'currency')")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_measurement_site_id_site"),
            "site",
            ["site_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_index(batch_op.f("ix_measurement_site_id"), ["site_id"], unique=False)
        batch_op.drop_constraint("uq_measurement_metric_id_measured_on", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_measurement_metric_id_measured_on_site_id"),
            ["metric_id", "measured_on", "site_id"],
        )
    op.create_index(
        "uq_measurement_organisation_reading",
        "measurement",
        ["metric_id", "measured_on"],
        unique=True,
        sqlite_where=sa.text("site_id IS NULL"),
        postgresql_where=sa.text("site_id IS NULL"),
    )


def downgrade():
    op.drop_index("uq_measurement_organisation_reading", table_name="measurement")
    op.execute("DELETE FROM measurement WHERE site_id IS NOT NULL")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_constraint("uq_measurement_metric_id_measured_on_site_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_measurement_metric_id_measured_on", ["metric_id", "measured_on"]
        )
        batch_op.drop_index(batch_op.f("ix_measurement_site_id"))
        batch_op.drop_constraint("fk_measurement_site_id_site", type_="foreignkey")
        batch_op.drop_column("site_id")
    with op.batch_alter_table("metric", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("rollup_weight_metric_id")
        batch_op.drop_column("rollup")
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_workspace_id"))
    op.drop_table("site")
