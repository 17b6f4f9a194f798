"""Phase 1 questionnaires: the list, a member's own answers, and everyone's results."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from workbench.analysis.instruments import Instrument
from workbench.extensions import db
from workbench.models import AssessmentResponse, Role, Workspace
from workbench.services import instruments
from workbench.services.access import Action
from workbench.services.assessment import instruments_folder
from workbench.services.errors import ServiceError, StaleEditError
from workbench.web.context import workspace_view
from workbench.web.forms import clean_text, parse_id, refused

blueprint = Blueprint(
    "questionnaires", __name__, url_prefix="/workspaces/<id:workspace_id>/assessment/questionnaires"
)


def _catalogue() -> instruments.Catalogue:
    return instruments.load_catalogue(instruments_folder())


@blueprint.route("/")
@workspace_view()
def index(workspace: Workspace, role: Role) -> str:
    """The questionnaires, with how many members answered and how far I am."""
    catalogue = _catalogue()
    rows = []
    for instrument in catalogue.instruments:
        result = instruments.results(db.session(), instrument)
        mine = instruments.my_responses(db.session(), instrument, current_user.id)
        rows.append((instrument, result, len(mine), len(instrument.questions())))
    return render_template(
        "questionnaires/index.html",
        rows=rows,
        invalid=catalogue.errors,
    )


def _parse_answers(
    instrument: Instrument, stored: dict[str, AssessmentResponse]
) -> tuple[dict[str, instruments.SubmittedAnswer], dict[str, str]]:
    """Read the posted answers; return them with per-question error messages."""
    scale = instrument.scale
    answers: dict[str, instruments.SubmittedAnswer] = {}
    errors: dict[str, str] = {}
    for question in instrument.questions():
        raw = (request.form.get(f"q_{question.key}") or "").strip()
        note = clean_text(request.form.get(f"note_{question.key}") or "")
        raw_version = request.form.get(f"v_{question.key}")
        version = 0 if raw_version == "0" else parse_id(raw_version)
        value: int | None = None
        if raw:
            parsed = parse_id(raw) if raw != "0" else 0
            if parsed is None or not scale.min <= parsed <= scale.max:
                errors[question.key] = f"Choose a value from {scale.min} to {scale.max}."
            else:
                value = parsed
        if len(note) > instruments.NOTE_MAX:
            errors[question.key] = f"Keep the note under {instruments.NOTE_MAX:,} characters."
        if raw_version is None or version is None:
            errors[question.key] = "This form is incomplete. Reload the page and answer again."
        if note and value is None and question.key not in errors:
            errors[question.key] = "Choose a value for this note, or clear the note."
        answers[question.key] = instruments.SubmittedAnswer(value, note, version)
    return answers, errors


@blueprint.route("/<key>", methods=["GET", "POST"])
@workspace_view(write=Action.READ)
def answer(workspace: Workspace, role: Role, key: str) -> Response | tuple[str, int]:
    """My answers to one questionnaire; every member answers for themselves."""
    instrument = _catalogue().get(key)
    stored = instruments.my_responses(db.session(), instrument, current_user.id)
    values: dict[str, tuple[int | None, str]] = {
        k: (row.value, row.note) for k, row in stored.items()
    }
    versions = {k: row.version for k, row in stored.items()}
    errors: dict[str, str] = {}
    conflicts: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        answers, errors = _parse_answers(instrument, stored)
        if not errors:
            try:
                changed = instruments.save_answers(
                    db.session(), instrument, current_user.id, answers
                )
            except StaleEditError as stale:
                status = refused(stale, None, StaleEditError)
                conflicts = stale.stored
            except ServiceError as error:
                status = refused(error)
                errors["_form"] = error.message
            else:
                flash(
                    f"{changed} answer{'s' if changed != 1 else ''} saved."
                    if changed
                    else "Nothing had changed.",
                    "success",
                )
                return redirect(
                    url_for("questionnaires.results", workspace_id=workspace.id, key=key), 303
                )
        else:
            status = 400
        # Show what was submitted, so nothing typed is lost.
        values = {k: (a.value, a.note) for k, a in answers.items()}
        if conflicts:
            fresh = instruments.my_responses(db.session(), instrument, current_user.id)
            versions = {k: row.version for k, row in fresh.items()}
    return render_template(
        "questionnaires/answer.html",
        instrument=instrument,
        values=values,
        versions=versions,
        errors=errors,
        conflicts=conflicts,
    ), status


@blueprint.route("/<key>/results")
@workspace_view()
def results(workspace: Workspace, role: Role, key: str) -> str:
    """Everyone's answers aggregated, with the questions to discuss."""
    instrument = _catalogue().get(key)
    result = instruments.results(db.session(), instrument)
    return render_template(
        "questionnaires/results.html",
        instrument=instrument,
        result=result,
        questions={q.key: q for q in instrument.questions()},
    )
