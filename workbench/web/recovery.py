"""Accounts by email: confirming a registration, a forgotten password, sign out everywhere."""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import User
from workbench.services import mail_messages, password_reset, registration, revocation
from workbench.services.errors import ServiceError
from workbench.services.mail import Message
from workbench.web.forms import FlaskForm, email_field, password_field, refused
from workbench.web.mailing import deliver_unsolicited, mail_settings
from workbench.web.members import is_invite_path

blueprint = Blueprint("recovery", __name__)


class ForgotForm(FlaskForm):
    """The email of the account to recover."""

    email = email_field()


class ResetForm(FlaskForm):
    """A new password, typed twice."""

    password = password_field("New password", "new-password", new=True)
    confirm = password_field("Repeat the new password", "new-password", same_as="password")


def _max_age() -> int:
    return int(current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"])


@blueprint.route("/password/forgot", methods=["GET", "POST"])
def forgot() -> Response | tuple[str, int]:
    """Ask for a reset link; the answer is the same whether or not the email has an account."""
    form = ForgotForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data
        # Handed over whatever the address: the sender looks the account up, not the request.
        deliver_unsolicited(partial(_reset_message, email))
        flash(
            f"If an account uses {email}, a message with a link to choose a new password is on "
            f"its way there. The link works once, for {_max_age()} minutes.",
            "info",
        )
        return redirect(url_for("recovery.forgot"), 303)
    if request.method == "POST":
        status = 400
    return render_template(
        "auth/forgot.html", form=form, outbox=mail_settings().uses_outbox
    ), status


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Response | tuple[str, int]:
    """Choose a new password with a reset link; every session and API token then ends."""
    secret = current_app.config["SECRET_KEY"]
    form = ResetForm()
    try:
        user = password_reset.check_token(db.session(), token, secret, _max_age())
    except ServiceError as error:
        refused(error)
        return render_template("auth/reset.html", error=error.message, form=None), 410
    status = 200
    if form.validate_on_submit():
        try:
            password_reset.reset_password(
                db.session(), token, form.password.data, secret, _max_age()
            )
        except ServiceError as error:
            status = refused(error, form)
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(
                "Your password is changed, every session of your account has ended and its "
                "API tokens are revoked. Log in with the new password.",
                "success",
            )
            return redirect(url_for("auth.login"), 303)
    elif request.method == "POST":
        status = 400
    return render_template("auth/reset.html", form=form, email=user.email, error=None), status


@blueprint.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere() -> Response:
    """End every session of the account, this one included, and revoke its API tokens."""
    revoked = revocation.sign_out_everywhere(db.session(), current_user._get_current_object())
    logout_user()
    session.clear()
    tokens = f" and {revoked} API token{'s' if revoked != 1 else ''} revoked" if revoked else ""
    flash(f"Every session of your account has ended{tokens}. Log in again.", "info")
    return redirect(url_for("auth.login"), 303)


def _reset_message(email: str, session: Session) -> Message | None:
    # Run by the mail sender: only an account that may reset gets a message.
    user = password_reset.account_for_reset(session, email)
    if user is None:
        return None
    token = password_reset.token_for(user, current_app.config["SECRET_KEY"])
    link = url_for("recovery.reset", token=token, _external=True)
    return mail_messages.password_reset(user.email, user.display_name, link, _max_age())


def _confirmation_message(user_id: int, next_path: str | None, session: Session) -> Message | None:
    # Run by the mail sender, so the token signs the password hash as it is when it leaves.
    user = session.get(User, user_id)
    if user is None or user.email_confirmed or not user.is_active_account:
        return None
    token = registration.confirmation_token(user, current_app.config["SECRET_KEY"], next_path)
    link = url_for("recovery.confirm", token=token, _external=True)
    hours = registration.CONFIRM_MAX_AGE_HOURS
    return mail_messages.confirm_email(user.email, user.display_name, link, hours)


def _registration_note(user_id: int, session: Session) -> Message | None:
    user = session.get(User, user_id)
    if user is None:
        return None
    link = url_for("recovery.forgot", _external=True)
    return mail_messages.registration_attempt(user.email, user.display_name, link)


def mail_registration(outcome: registration.Registration, next_path: str | None) -> None:
    """Mail a new address its confirmation link, or an existing account's owner a note."""
    if outcome.is_new:
        mail_confirmation(outcome.user.id, next_path)
    else:
        deliver_unsolicited(partial(_registration_note, outcome.user.id))


def mail_confirmation(user_id: int, next_path: str | None) -> None:
    """Mail an unconfirmed account a fresh link that confirms its address (in the background)."""
    deliver_unsolicited(partial(_confirmation_message, user_id, next_path))


class ConfirmRegistrationForm(FlaskForm):
    """The password chosen when registering, to confirm the address."""

    password = password_field("The password you chose", "current-password")


@blueprint.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Response | tuple[str, int]:
    """Confirm a new account's address with the mailed link and its password, then log in."""
    # Confirming waits for the password: mail scanners that open links only read the page.
    form = ConfirmRegistrationForm()
    status = 200
    if request.method == "POST":
        try:
            user, next_path = registration.confirm(
                db.session(), token, form.password.data or "", current_app.config["SECRET_KEY"]
            )
        except ServiceError as error:
            if error.field != "password":
                refused(error)
                return render_template("auth/confirm.html", error=error.message, form=None), 410
            status = refused(error, form)
        else:
            session.clear()
            login_user(user)
            session.permanent = True
            target = _same_site(next_path)
            if target is not None and is_invite_path(target):
                # The invitation is what they came for: it comes first, not a new workspace.
                flash("Your address is confirmed. Accept the invitation to join.", "success")
            else:
                flash(
                    "Your address is confirmed. Create a workspace for your organisation "
                    "to begin, or open the invite link a facilitator sent you.",
                    "success",
                )
            return redirect(target or url_for("workspaces.index"), 303)
    return render_template("auth/confirm.html", error=None, form=form), status


def _same_site(target: str) -> str | None:
    # Only a path on this site, never another host.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
