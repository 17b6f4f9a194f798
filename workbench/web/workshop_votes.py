"""Dot votes in a workshop room: open, place dots, watch the results, close, apply."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from workbench.extensions import db
from workbench.models import Role, SessionStatus, VoteKind, WorkshopVote, Workspace
from workbench.services import voting, workshop
from workbench.services.access import Action
from workbench.services.errors import ServiceError
from workbench.web.context import workspace_view
from workbench.web.forms import refused
from workbench.web.htmx import is_htmx
from workbench.web.workshop import ROOM, _room_or_404
from workbench.web.workshop_forms import DotForm, VersionOnlyForm, VoteForm

blueprint = Blueprint("workshop_votes", __name__)

VOTE = f"{ROOM}/votes/<id:vote_id>"


def _back(workspace_id: int, session_id: int) -> BaseResponse:
    url = url_for("workshop.room", workspace_id=workspace_id, session_id=session_id, _anchor="vote")
    return redirect(url, 303)


def _panel(
    workspace_id: int,
    session_id: int,
    vote: WorkshopVote,
    role: Role,
    refusal: str | None = None,
    status: int = 200,
) -> BaseResponse:
    room = workshop.get_session(db.session(), session_id)
    body = render_template(
        "workshop/_vote.html",
        workspace_id=workspace_id,
        room=room,
        vote=vote,
        results=voting.results(db.session(), vote, current_user.id),
        is_open=room.status == SessionStatus.OPEN,
        can_lead=role == Role.FACILITATOR,
        refusal=refusal,
        kind_labels=voting.KIND_LABELS,
        applies_to=voting.APPLIES_TO,
        confirm_form=VersionOnlyForm(formdata=None),
        preview=voting.ranking_preview(db.session(), vote),
    )
    return make_response(body, status)


@blueprint.route(f"{ROOM}/votes", methods=["POST"])
@workspace_view(write=Action.MANAGE_MEMBERS)
def open_vote(workspace: Workspace, role: Role, session_id: int) -> BaseResponse:
    """Open a dot vote on factors, barriers, initiatives or scenarios."""
    room = _room_or_404(session_id)
    form = VoteForm()
    if not form.validate_on_submit():
        flash(" ".join(e for f in form for e in f.errors), "error")
        return _back(workspace.id, session_id)
    try:
        voting.open_vote(
            db.session(), room, VoteKind(form.kind.data), form.question.data or "", form.dots.data
        )
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
    else:
        flash("The vote is open: everyone can place their dots now.", "success")
    return _back(workspace.id, session_id)


@blueprint.route(VOTE)
@workspace_view()
def results(workspace: Workspace, role: Role, session_id: int, vote_id: int) -> BaseResponse:
    """A vote's results as a page (the room polls the panel fragment instead)."""
    room = _room_or_404(session_id)
    vote = voting.get_vote(db.session(), room, vote_id)
    if is_htmx():
        return _panel(workspace.id, session_id, vote, role)
    return make_response(
        render_template(
            "workshop/results.html",
            workspace_id=workspace.id,
            room=room,
            vote=vote,
            results=voting.results(db.session(), vote, current_user.id),
            kind_labels=voting.KIND_LABELS,
        )
    )


@blueprint.route(f"{VOTE}/dots", methods=["POST"])
@workspace_view(write=Action.READ)
def dot(workspace: Workspace, role: Role, session_id: int, vote_id: int) -> BaseResponse:
    """Place a dot on an item or take one back; every participant votes, whatever the role."""
    room = _room_or_404(session_id)
    vote = voting.get_vote(db.session(), room, vote_id)
    form = DotForm()
    item_id = form.item()
    message = None
    if not form.validate_on_submit() or item_id is None:
        message = "Choose an item of the vote."
    else:
        try:
            if form.action.data == "add":
                voting.place_dot(db.session(), room, vote, current_user.id, item_id)
            else:
                voting.take_back_dot(db.session(), room, vote, current_user.id, item_id)
        except ServiceError as error:
            refused(error)
            message = error.message
    if is_htmx():
        return _panel(workspace.id, session_id, vote, role, message, 400 if message else 200)
    if message:
        flash(message, "error")
    return _back(workspace.id, session_id)


@blueprint.route(f"{VOTE}/close", methods=["POST"])
@workspace_view(write=Action.MANAGE_MEMBERS)
def close_vote(workspace: Workspace, role: Role, session_id: int, vote_id: int) -> BaseResponse:
    """Stop the voting; the results stay."""
    room = _room_or_404(session_id)
    vote = voting.get_vote(db.session(), room, vote_id)
    form = VersionOnlyForm()
    if not form.validate_on_submit():
        flash("Reload the page and try again.", "error")
        return _back(workspace.id, session_id)
    try:
        voting.close_vote(db.session(), room, vote, form.loaded_version())
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
    else:
        flash("Voting closed.", "success")
    return _back(workspace.id, session_id)


@blueprint.route(f"{VOTE}/apply", methods=["POST"])
@workspace_view(write=Action.MANAGE_MEMBERS)
def apply(workspace: Workspace, role: Role, session_id: int, vote_id: int) -> BaseResponse:
    """Write the ranking into the items' importance or priority, on confirmation."""
    room = _room_or_404(session_id)
    vote = voting.get_vote(db.session(), room, vote_id)
    form = VersionOnlyForm()
    if not form.validate_on_submit():
        flash("Reload the page and try again.", "error")
        return _back(workspace.id, session_id)
    try:
        changed = voting.apply_ranking(db.session(), room, vote, form.loaded_version())
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
    else:
        flash(f"Ranking applied: {changed} item(s) changed.", "success")
    return _back(workspace.id, session_id)
