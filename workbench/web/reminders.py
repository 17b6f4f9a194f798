"""Reminders: each person's choices, the one-click unsubscribe, and owners that name nobody."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import BooleanField

from workbench.analysis.reminders import KIND_LABELS, Kind
from workbench.extensions import csrf, db
from workbench.models import Role, Workspace
from workbench.services import reminder_owners, reminder_prefs
from workbench.services.access import Action
from workbench.services.errors import ServiceError
from workbench.web.context import workspace_view
from workbench.web.forms import VersionedForm, refused

blueprint = Blueprint("reminders", __name__)


class ChoicesForm(VersionedForm):
    """Which kinds of reminder the person receives."""

    metric_due = BooleanField(KIND_LABELS[Kind.METRIC_DUE])
    metric_overdue = BooleanField(KIND_LABELS[Kind.METRIC_OVERDUE])
    goal_status = BooleanField(KIND_LABELS[Kind.GOAL_STATUS])
    initiative_late = BooleanField(KIND_LABELS[Kind.INITIATIVE_LATE])


def _choices_page(form: ChoicesForm, status: int = 200) -> tuple[str, int]:
    return render_template("account/reminders.html", form=form), status


@blueprint.route("/account/reminders", methods=["GET", "POST"])
@login_required
def preferences() -> Response | tuple[str, int]:
    """Turn each kind of reminder on or off, or all of them off at once."""
    user = current_user._get_current_object()
    if request.method == "GET":
        choices = reminder_prefs.choices_of(db.session(), user.id)
        data = {**choices.on, "version": str(choices.version)}
        return _choices_page(ChoicesForm(formdata=None, data=data))
    form = ChoicesForm()
    if not form.validate_on_submit():
        return _choices_page(form, 400)
    everything_off = request.form.get("action") == "all-off"
    wanted = {
        kind: False if everything_off else bool(getattr(form, kind).data)
        for kind in reminder_prefs.KINDS
    }
    try:
        reminder_prefs.save_choices(db.session(), user, form.loaded_version(), wanted)
    except ServiceError as error:
        return _choices_page(form, refused(error, form))
    if not any(wanted.values()):
        flash("You will receive no reminders. Turn any back on here when you want them.", "success")
    else:
        flash("Your reminder choices are saved.", "success")
    return redirect(url_for("reminders.preferences"), 303)


@blueprint.route("/reminders/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> Response | tuple[str, int]:
    """Stop a kind of reminder from the link in a message, without signing in.

    Opening the link only asks; the button (or a mail program's one-click POST, RFC 8058)
    stops the reminders, so a link scanner that opens every link changes nothing.
    """
    secret = current_app.config["SECRET_KEY"]
    try:
        user, kind = reminder_prefs.read_token(db.session(), secret, token)
    except ServiceError as error:
        refused(error)
        return render_template("account/unsubscribe.html", error=error.message), 400
    label = reminder_prefs.kind_label(kind)
    if request.method == "GET":
        return render_template(
            "account/unsubscribe.html", error=None, label=label, email=user.email, done=False
        ), 200
    reminder_prefs.turn_off(db.session(), user, kind)
    return render_template(
        "account/unsubscribe.html", error=None, label=label, email=user.email, done=True
    ), 200


@blueprint.route("/workspaces/<id:workspace_id>/members/reminder-owners")
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def owners(workspace: Workspace, role: Role) -> str:
    """Owners that name no member: who should receive their reminders is for a person to decide."""
    return render_template(
        "members/reminder_owners.html",
        workspace=workspace,
        gaps=reminder_owners.owner_gaps(db.session()),
    )
