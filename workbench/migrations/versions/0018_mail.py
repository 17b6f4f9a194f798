"""invite.email and user_account.email_confirmed: mail-based invitations and registration

Revision ID: 0017_mail
Revises: 0017_totp
Create Date: 2026-12-04 14:00:00

A facilitator invites a person by email; the invitation row records the address it was
sent to and works once. Invite links made before this revision (and shareable links made
after it) have no address (NULL) and work for anyone holding them until they expire.

An account registered on the web is unconfirmed until its owner follows the link mailed to
the address; accounts that exist before this revision count as confirmed (server default
true). recreate="never": adding columns needs no table rebuild on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_mail"
down_revision = "0017_totp"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invite", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    with op.batch_alter_table("user_account", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("email_confirmed", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade():
    with op.batch_alter_table("user_account", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("email_confirmed")
    with op.batch_alter_table("invite", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("email")
