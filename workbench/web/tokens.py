"""The account's personal API tokens: create (the secret is shown once), list and revoke."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import HiddenField

from workbench.extensions import db
from workbench.services import api_tokens
from workbench.services.errors import NotFoundError, ServiceError
from workbench.web.forms import (
    FlaskForm,
    line_field,
    parse_id,
    refused,
)

blueprint = Blueprint("tokens", __name__, url_prefix="/account/tokens")
# The new secret waits in the (signed, HttpOnly) session for the one page view that shows it,
# so reloading that page neither repeats the creation nor shows the secret again.
NEW_SECRET_KEY = "new_api_token"


class NewTokenForm(FlaskForm):
    """A new token: only its name."""

    label = line_field("Name", max_length=api_tokens.LABEL_MAX)


class RevokeForm(FlaskForm):
    """Revoke one token, named by its id."""

    token_id = HiddenField()


def _page(form: NewTokenForm, status: int = 200, secret: str | None = None) -> tuple[str, int]:
    user = current_user._get_current_object()
    return (
        render_template(
            "account/tokens.html",
            form=form,
            tokens=api_tokens.list_tokens(db.session(), user),
            secret=secret,
            api_base=url_for("api.list_workspaces", _external=True).rsplit("/workspaces", 1)[0],
        ),
        status,
    )


@blueprint.route("/", methods=["GET", "POST"])
@login_required
def index() -> Response | tuple[str, int]:
    """List the tokens and create one; a new secret is shown on the next page view only."""
    if request.method == "GET":
        return _page(NewTokenForm(formdata=None), secret=session.pop(NEW_SECRET_KEY, None))
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        _token, secret = api_tokens.create_token(
            db.session(), current_user._get_current_object(), form.label.data
        )
    except ServiceError as error:
        return _page(form, refused(error, form))
    session[NEW_SECRET_KEY] = secret
    flash("Token created. Copy it now: it is not shown again.", "success")
    return redirect(url_for("tokens.index"), 303)


@blueprint.route("/revoke", methods=["POST"])
@login_required
def revoke() -> Response:
    """Revoke one of the user's tokens after confirmation."""
    form = RevokeForm()
    token_id = parse_id(form.token_id.data)
    if not form.validate_on_submit() or token_id is None:
        flash("Choose a token to revoke.", "error")
        return redirect(url_for("tokens.index"), 303)
    try:
        token = api_tokens.revoke_token(db.session(), current_user._get_current_object(), token_id)
    except ServiceError as error:
        # The list of one's own tokens explains a token that is not there better than a 404.
        refused(error, None, NotFoundError)
        flash(error.message, "error")
        return redirect(url_for("tokens.index"), 303)
    flash(
        f"The token “{token.label}” is revoked; programs using it are refused from now on.",
        "success",
    )
    return redirect(url_for("tokens.index"), 303)
