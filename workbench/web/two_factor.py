"""Two-factor sign-in: the code step of logging in, and turning it on and off for an account."""

from __future__ import annotations

import time
from typing import Any

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
from flask_login import current_user, login_required, login_user
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import BooleanField

from workbench.charts.qr_code import qr_svg
from workbench.extensions import db
from workbench.models import Role, User, Workspace
from workbench.services import ratelimit, two_factor
from workbench.services.access import Action
from workbench.services.accounts import RateLimitedError
from workbench.services.errors import ServiceError
from workbench.web.context import workspace_view
from workbench.web.forms import (
    FlaskForm,
    VersionedForm,
    attach_service_error,
    line_field,
    password_field,
    refused,
)

blueprint = Blueprint("two_factor", __name__)

# The password step's result waits here (in the signed session cookie) for the code step.
PENDING_LOGIN = "two_factor_login"
# New recovery codes wait here for the one page view that shows them.
NEW_CODES = "new_recovery_codes"


def _code_field(label: str = "Code") -> Any:
    return line_field(
        label,
        max_length=40,
        required_message="Type the code your authenticator app shows.",
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"},
    )


class CodeForm(FlaskForm):
    """A code from the authenticator app, or a recovery code."""

    code = _code_field()


class TurnOffForm(FlaskForm):
    """The password and a code, to turn two-factor sign-in off."""

    password = password_field("Your password", "current-password")
    code = _code_field()


class ConfirmForm(FlaskForm):
    """Nothing but the CSRF token: start or cancel an enrolment."""


def _keys() -> two_factor.Keys:
    config = current_app.config
    return two_factor.keys_for(config.get("TWO_FACTOR_KEY") or config["SECRET_KEY"])


def _throttle() -> two_factor.Throttle:
    config = current_app.config
    limit = two_factor.limit_of(
        config["TWO_FACTOR_ATTEMPT_LIMIT"], config["TWO_FACTOR_ATTEMPT_WINDOW_SECONDS"]
    )
    return two_factor.Throttle(
        ratelimit.store_for(current_app, db.session()), limit, request.remote_addr
    )


def start_code_step(user: User, target: str) -> Response | None:
    """After a correct password: ask for a code when the account uses two-factor sign-in.

    Returns the redirect to the code page, or None when the account signs in with its
    password alone. Until the code is accepted the session is not logged in.
    """
    if not two_factor.is_enabled(db.session(), user.id):
        return None
    session.clear()
    session[PENDING_LOGIN] = {
        "user": user.id,
        # A password change meanwhile (a new session token) cancels the waiting sign-in.
        "token": user.session_token,
        "since": int(time.time()),
        "next": target,
    }
    return redirect(url_for("two_factor.login_code"))


def _pending_user() -> tuple[User, str] | None:
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict):
        return None
    age = time.time() - float(pending.get("since", 0))
    if age > current_app.config["TWO_FACTOR_LOGIN_SECONDS"]:
        return None
    user = db.session.get(User, int(pending.get("user", 0)))
    if user is None or not user.is_active or user.session_token != pending.get("token"):
        return None
    return user, str(pending.get("next") or url_for("workspaces.index"))


@blueprint.route("/login/code", methods=["GET", "POST"])
def login_code() -> Response | tuple[str, int]:
    """The second step of logging in: a code from the app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.index"))
    found = _pending_user()
    if found is None:
        session.pop(PENDING_LOGIN, None)
        flash("Log in with your email and password first.", "info")
        return redirect(url_for("auth.login"))
    user, target = found
    form = CodeForm()
    status, error_message = 200, None
    if form.validate_on_submit():
        try:
            kind = two_factor.verify_second_factor(
                db.session(), user, form.code.data, _keys(), _throttle()
            )
        except RateLimitedError as error:
            error_message, status = error.message, 429
        except ServiceError as error:
            # Not discarded: the wrong code is counted, and the boundary commits the count.
            error_message, status = error.message, 401
        else:
            session.clear()
            login_user(user)
            session.permanent = True
            if kind == "recovery":
                left = two_factor.status(db.session(), user).recovery_codes_left
                flash(
                    f"You signed in with a recovery code; it cannot be used again. {left} "
                    "are left: make new ones on your two-factor page if you are running low.",
                    "info",
                )
            return redirect(target)
    elif request.method == "POST":
        status = 400
    return render_template(
        "two_factor/login_code.html", form=form, error_message=error_message
    ), status


def _page(status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    user = current_user._get_current_object()
    state = two_factor.status(db.session(), user)
    secret = two_factor.pending_secret(db.session(), user, _keys()) if state.pending else None
    qr = None
    if secret:
        uri = two_factor.enrolment_uri(user, secret)
        # Built by segno from the address alone: no text of ours is placed in it unescaped.
        qr = Markup(qr_svg(uri, "QR code of your new two-factor secret"))
    return render_template(
        "two_factor/account.html",
        state=state,
        secret=secret,
        grouped_secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        if secret
        else None,
        qr=qr,
        new_codes=session.pop(NEW_CODES, None),
        start_form=forms.get("start") or ConfirmForm(formdata=None),
        confirm_form=forms.get("confirm") or CodeForm(formdata=None),
        regenerate_form=forms.get("regenerate") or CodeForm(formdata=None),
        off_form=forms.get("off") or TurnOffForm(formdata=None, prefix="off"),
    ), status


@blueprint.route("/account/two-factor/")
@login_required
def account() -> tuple[str, int]:
    """Two-factor sign-in of the account: turn it on, see recovery codes left, turn it off."""
    return _page()


@blueprint.route("/account/two-factor/start", methods=["POST"])
@login_required
def start() -> Response | tuple[str, int]:
    """Make a new secret and show it as a QR code, waiting for its first code."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(400, start=form)
    try:
        two_factor.start_enrolment(db.session(), current_user._get_current_object(), _keys())
    except ServiceError as error:
        return _page(refused(error, form), start=form)
    return redirect(url_for("two_factor.account"), 303)


@blueprint.route("/account/two-factor/cancel", methods=["POST"])
@login_required
def cancel() -> Response | tuple[str, int]:
    """Forget an enrolment that was not confirmed."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(400, start=form)
    two_factor.cancel_enrolment(db.session(), current_user._get_current_object())
    flash("Two-factor sign-in stays off.", "info")
    return redirect(url_for("two_factor.account"), 303)


@blueprint.route("/account/two-factor/confirm", methods=["POST"])
@login_required
def confirm() -> Response | tuple[str, int]:
    """Turn two-factor sign-in on with the app's first code; show the recovery codes once."""
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(400, confirm=form)
    user = current_user._get_current_object()
    try:
        fresh = two_factor.confirm_enrolment(db.session(), user, form.code.data, _keys())
    except ServiceError as error:
        return _page(refused(error, form), confirm=form)
    # Other sessions of the account ended (a new session token); this one carries on.
    session.clear()
    login_user(user)
    session.permanent = True
    session[NEW_CODES] = fresh
    flash("Two-factor sign-in is on. Other sessions of your account have ended.", "success")
    return redirect(url_for("two_factor.account"), 303)


@blueprint.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def regenerate() -> Response | tuple[str, int]:
    """Replace the recovery codes after a current code; the old ones stop working."""
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(400, regenerate=form)
    try:
        fresh = two_factor.regenerate_recovery_codes(
            db.session(), current_user._get_current_object(), form.code.data, _keys(), _throttle()
        )
    except ServiceError as error:
        # Not discarded: a wrong code is counted towards the limit.
        attach_service_error(form, error.message, error.field)
        return _page(error.status_code, regenerate=form)
    session[NEW_CODES] = fresh
    flash("New recovery codes are ready; the old ones no longer work.", "success")
    return redirect(url_for("two_factor.account"), 303)


@blueprint.route("/account/two-factor/off", methods=["POST"])
@login_required
def turn_off() -> Response | tuple[str, int]:
    """Turn two-factor sign-in off after the password and a code."""
    form = TurnOffForm(prefix="off")
    if not form.validate_on_submit():
        return _page(400, off=form)
    try:
        two_factor.turn_off(
            db.session(),
            current_user._get_current_object(),
            form.password.data,
            form.code.data,
            _keys(),
            _throttle(),
        )
    except ServiceError as error:
        attach_service_error(form, error.message, error.field)
        return _page(error.status_code, off=form)
    flash("Two-factor sign-in is off. Your password alone signs you in again.", "success")
    return redirect(url_for("two_factor.account"), 303)


class RequirementForm(VersionedForm):
    """A workspace's requirement of two-factor sign-in."""

    required = BooleanField("Require two-factor sign-in of every member")


def settings_values(workspace: Workspace) -> dict[str, Any]:
    """Return what the workspace settings page shows about the requirement."""
    form = RequirementForm(
        formdata=None,
        data={"required": workspace.require_two_factor, "version": workspace.version},
    )
    return {
        "two_factor_form": form,
        "two_factor_required": workspace.require_two_factor,
        "members_without_two_factor": two_factor.members_without(db.session()),
    }


@blueprint.route("/workspaces/<id:workspace_id>/settings/two-factor", methods=["POST"])
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def requirement(workspace: Workspace, role: Role) -> Response:
    """Require (or stop requiring) two-factor sign-in of the workspace's members."""
    form = RequirementForm()
    target = redirect(url_for("workspaces.settings", workspace_id=workspace.id), 303)
    if not form.validate_on_submit():
        flash("Reload the settings page and try again.", "error")
        return target
    try:
        changed = two_factor.set_workspace_requirement(
            db.session(),
            workspace,
            form.loaded_version(),
            bool(form.required.data),
            current_user._get_current_object(),
        )
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
        return target
    if not changed:
        flash("Nothing had changed.", "info")
    elif form.required.data:
        flash("Members now turn on two-factor sign-in before they enter this workspace.", "success")
    else:
        flash("Two-factor sign-in is no longer required in this workspace.", "success")
    return target
