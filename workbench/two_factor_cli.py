"""`workbench two-factor-reset EMAIL`: the administrator's way back in for a locked-out member."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from workbench.extensions import db
from workbench.services import accounts, two_factor


@click.command("two-factor-reset")
@with_appcontext
@click.argument("email")
def two_factor_reset_command(email: str) -> None:
    """Turn two-factor sign-in off for an account that lost its phone and recovery codes."""
    user = accounts.find_user_by_email(db.session(), email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    was_on = two_factor.reset_by_administrator(db.session(), user)
    db.session.commit()
    if was_on:
        click.echo(
            f"Two-factor sign-in is off for {user.email}; their sessions have ended. "
            "They sign in with their password and can turn it on again."
        )
    else:
        click.echo(f"{user.email} did not use two-factor sign-in; their sessions have ended.")


def register(app: Flask) -> None:
    """Add the two-factor command to the app's CLI."""
    app.cli.add_command(two_factor_reset_command)
