"""The business case over years: horizon, discount rate, input ranges, cases per scenario

Revision ID: 0019_business_case
Revises: 0017_mail
Create Date: 2026-12-04 16:00:00

economics_case gains the horizon in years and the discount rate of the business case
(rows saved before this revision take the defaults, 5 years and 8%), and the team's own
low and high values of the four uncertain inputs (NULL until entered).
failure_scenario gains the cases expected a year, which with its remedy value gives the
compensation the playbook expects to pay (NULL until entered). recreate="never": adding
columns needs no table rebuild on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_business_case"
down_revision = "0017_mail"
branch_labels = None
depends_on = None

UNCERTAIN = ("churn_unrecovered", "churn_recovered", "complaint_rate", "customer_lifetime_value")


def upgrade():
    with op.batch_alter_table("economics_case", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("horizon_years", sa.Integer(), nullable=False, server_default="5")
        )
        batch_op.add_column(
            sa.Column("discount_rate", sa.Float(), nullable=False, server_default="0.08")
        )
        for name in UNCERTAIN:
            batch_op.add_column(sa.Column(f"{name}_low", sa.Float(), nullable=True))
            batch_op.add_column(sa.Column(f"{name}_high", sa.Float(), nullable=True))
    with op.batch_alter_table("failure_scenario", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("expected_cases_per_year", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("failure_scenario", schema=None) as batch_op:
        batch_op.drop_column("expected_cases_per_year")
    with op.batch_alter_table("economics_case", schema=None) as batch_op:
        for name in reversed(UNCERTAIN):
            batch_op.drop_column(f"{name}_high")
            batch_op.drop_column(f"{name}_low")
        batch_op.drop_column("discount_rate")
        batch_op.drop_column("horizon_years")
