"""The outbox page: messages kept when no SMTP server is set, for instance administrators."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required

from workbench.services import mail
from workbench.services.errors import NotFoundError
from workbench.web.mailing import is_admin, mail_settings

blueprint = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


def _viewer_is_admin() -> bool:
    return bool(current_user.is_authenticated and is_admin(current_user.email))


@blueprint.record_once
def _admin_link(state: BlueprintSetupState) -> None:
    # A global rather than a context processor: some pages are drawn outside a view.
    state.app.jinja_env.globals["is_instance_admin"] = _viewer_is_admin


def _require_admin() -> None:
    # Anyone else is told the page does not exist, as for a workspace they cannot see.
    if not is_admin(current_user.email):
        abort(404)


@blueprint.route("/")
@login_required
def index() -> str:
    """List the messages in the outbox, newest first."""
    _require_admin()
    settings = mail_settings()
    return render_template(
        "outbox/index.html",
        messages=mail.list_outbox(settings),
        folder=str(settings.outbox),
        sending=not settings.uses_outbox,
    )


@blueprint.route("/<key>")
@login_required
def message(key: str) -> str:
    """Show one message of the outbox as plain text."""
    _require_admin()
    try:
        entry = mail.read_outbox(mail_settings(), key)
    except NotFoundError:
        abort(404)
    return render_template("outbox/message.html", message=entry)
