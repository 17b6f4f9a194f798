"""Accounts: register, log in, log out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

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
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import User
from workbench.services import accounts, ratelimit, registration
from workbench.services.errors import ServiceError
from workbench.services.login_throttle import LoginPolicy, LoginThrottledError
from workbench.web import recovery, two_factor
from workbench.web.forms import (
    FlaskForm,
    email_field,
    line_field,
    password_field,
    refused,
)
from workbench.web.mailing import mail_settings
from workbench.web.members import is_invite_path

blueprint = Blueprint("auth", __name__)


class RegisterForm(FlaskForm):
    """New account."""

    display_name = line_field(
        "Your name",
        max_length=120,
        required_message="Enter your name.",
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    password = password_field("Password", "new-password", new=True)
    confirm = password_field("Repeat the password", "new-password", same_as="password")


class LoginForm(FlaskForm):
    """Email and password."""

    email = email_field()
    password = password_field("Password", "current-password")


class PasswordForm(FlaskForm):
    """Change password."""

    current = password_field("Current password", "current-password")
    password = password_field("New password", "new-password", new=True)
    confirm = password_field("Repeat the new password", "new-password", same_as="password")


def _safe_next(target: str | None) -> str:
    """Return a same-site path to go to after login, never another host."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for("workspaces.index")


def _start_session(user: User) -> None:
    # A fresh session at login: nothing set before authentication survives it.
    session.clear()
    login_user(user)
    session.permanent = True


@blueprint.route("/register", methods=["GET", "POST"])
def register() -> Response | tuple[str, int]:
    """Register: the address gets a link that confirms the account (or a note to its owner)."""
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.index"))
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        try:
            outcome = registration.register(
                db.session(), form.email.data, form.display_name.data, form.password.data
            )
        except ServiceError as error:
            status = refused(error, form)
        else:
            # The same page whether the address is new or has an account: only its inbox knows.
            next_path = _safe_next(request.args.get("next"))
            recovery.mail_registration(outcome, next_path)
            return render_template(
                "auth/registered.html",
                email=outcome.user.email,
                outbox=mail_settings().uses_outbox,
                invitation=is_invite_path(next_path),
            ), 200
    elif request.method == "POST":
        status = 400
    invitation = is_invite_path(_safe_next(request.args.get("next")))
    return render_template("auth/register.html", form=form, invitation=invitation), status


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.index"))
    form = LoginForm()
    status = 200
    error_message = None
    retry_after: int | None = None
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                db.session(),
                form.email.data,
                form.password.data,
                request.remote_addr,
                LoginPolicy.from_config(current_app.config),
                ratelimit.store_for(current_app, db.session()),
            )
        except LoginThrottledError as error:
            error_message, status = error.message, 429
            retry_after = error.retry_after_seconds
        except accounts.UnconfirmedAccountError as error:
            # The page says what any refused login says; only the address's inbox learns more.
            recovery.mail_confirmation(error.user_id, _safe_next(request.args.get("next")))
            error_message, status = error.message, 401
        except ServiceError as error:
            # Not a refusal to discard: the failed attempt is recorded for the rate limit, and
            # the boundary commits it with the page.
            error_message, status = error.message, 401
        else:
            target = _safe_next(request.args.get("next"))
            # An account with two-factor sign-in is not logged in until its code is accepted.
            code_step = two_factor.start_code_step(user, target)
            if code_step is not None:
                return code_step
            _start_session(user)
            return redirect(target)
    elif request.method == "POST":
        status = 400
    invitation = is_invite_path(_safe_next(request.args.get("next")))
    page = render_template(
        "auth/login.html", form=form, error_message=error_message, invitation=invitation
    )
    if retry_after is not None:
        return page, status, {"Retry-After": str(retry_after)}
    return page, status


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    """End the session; the old session cookie stops working too."""
    if current_user.is_authenticated:
        accounts.rotate_session_token(db.session(), current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | tuple[str, int]:
    """Change the password; other sessions of the account end."""
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(db.session(), user, form.current.data, form.password.data)
        except ServiceError as error:
            status = refused(error, form)
        else:
            _start_session(user)
            flash("Your password is changed. Other sessions of your account have ended.", "success")
            return redirect(url_for("workspaces.index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/password.html", form=form), status
