"""The guided workshop: sessions, joining by code, the room, its live fragments, the projector."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response as BaseResponse

from workbench.analysis.workshop import format_code
from workbench.extensions import db
from workbench.models import (
    ParticipantStatus,
    Role,
    SessionStatus,
    VoteStatus,
    WorkshopSession,
    Workspace,
)
from workbench.services import departments as department_service
from workbench.services import voting, workshop, workshop_guide, workshop_join
from workbench.services.access import Action
from workbench.services.accounts import RateLimitedError
from workbench.services.errors import PermissionDeniedError, ServiceError
from workbench.web.alignment.approach_decision import decision_form
from workbench.web.context import can_edit, workspace_view
from workbench.web.errors import error_page
from workbench.web.forms import attach_service_error, refused
from workbench.web.htmx import is_htmx
from workbench.web.main import PROBE_ENDPOINTS
from workbench.web.workshop_forms import (
    DecideForm,
    ItemForm,
    JoinForm,
    OpenSessionForm,
    StepForm,
    TimerForm,
    VersionOnlyForm,
)

blueprint = Blueprint("workshop", __name__)

PREFIX = "/workspaces/<id:workspace_id>/workshop"
ROOM = f"{PREFIX}/<id:session_id>"
# What a guest account may reach besides its own session's pages.
GUEST_OPEN_ENDPOINTS = frozenset(
    {"static", "auth.logout", "main.favicon", "main.health", "workshop.ended", "workshop.join"}
)
GUEST_CLOSED_ENDPOINTS = frozenset({"workshop.index", "workshop.open_session"})


def _go(endpoint: str, **values: Any) -> BaseResponse:
    """Redirect, or tell htmx to navigate when the request came from a polled fragment."""
    target = url_for(endpoint, **values)
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


@blueprint.before_app_request
def confine_guests() -> BaseResponse | None:
    """Keep a guest account inside its own session; send it to the end page once closed."""
    if request.endpoint in PROBE_ENDPOINTS or not current_user.is_authenticated:
        return None
    guest = workshop_join.guest_record(db.session(), current_user)
    if guest is None:
        return None
    endpoint = request.endpoint or ""
    if endpoint in GUEST_OPEN_ENDPOINTS:
        return None
    if not workshop_join.guest_session_open(db.session(), guest):
        return _go("workshop.ended")
    if endpoint == "main.home":
        return _go("workshop.waiting")
    args = request.view_args or {}
    in_own_session = (
        endpoint.startswith("workshop")
        and endpoint not in GUEST_CLOSED_ENDPOINTS
        and args.get("workspace_id", guest.workspace_id) == guest.workspace_id
        and args.get("session_id", guest.session_id) == guest.session_id
    )
    if in_own_session:
        return None
    return error_page(
        403,
        "As a guest of a workshop you can take part in that session only. "
        "Go back to the session to carry on.",
    )


def _room_or_404(session_id: int) -> WorkshopSession:
    room = workshop.get_session(db.session(), session_id)
    if workshop_join.guest_record(db.session(), current_user) is not None:
        g.nav_factory = None  # guests see the room, not the workspace's navigation
    return room


# --------------------------------------------------------------------------- sessions


@blueprint.route(f"{PREFIX}/", methods=["GET"])
@workspace_view()
def index(workspace: Workspace, role: Role) -> tuple[str, int]:
    """The workspace's sessions and the form to open one."""
    return _index_page(workspace, OpenSessionForm(formdata=None))


def _index_page(workspace: Workspace, form: OpenSessionForm, status: int = 200) -> tuple[str, int]:
    rooms = workshop.list_sessions(db.session())
    return render_template(
        "workshop/index.html",
        form=form,
        rooms=rooms,
        format_code=format_code,
        workspace_id=workspace.id,
    ), status


@blueprint.route(f"{PREFIX}/", methods=["POST"])
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def open_session(workspace: Workspace, role: Role) -> BaseResponse | tuple[str, int]:
    """Open a session; the facilitator lands in the room."""
    form = OpenSessionForm()
    if not form.validate_on_submit():
        return _index_page(workspace, form, 400)
    try:
        room = workshop.open_session(
            db.session(),
            current_user,
            form.title.data,
            form.minutes.data,
            current_app.config["WORKSHOP_CODE_HOURS"],
        )
    except ServiceError as error:
        return _index_page(workspace, form, refused(error, form))
    flash(f"Session open. People join with the code {format_code(room.code)}.", "success")
    return redirect(url_for("workshop.room", workspace_id=workspace.id, session_id=room.id), 303)


# --------------------------------------------------------------------------- joining


@blueprint.route("/workshop/join", methods=["GET", "POST"])
def join() -> BaseResponse | tuple[str, int]:
    """Join a session with its code: members under their account, others as a guest."""
    if current_user.is_authenticated and workshop_join.guest_record(db.session(), current_user):
        return redirect(url_for("workshop.waiting"))
    form = JoinForm() if request.method == "POST" else JoinForm(formdata=None)
    if request.method == "GET":
        form.code.data = (request.args.get("code") or "")[:32]
        return render_template("workshop/join.html", form=form), 200
    if not form.validate_on_submit():
        return render_template("workshop/join.html", form=form), 400
    limit = current_app.config["WORKSHOP_JOIN_ATTEMPT_LIMIT"]
    window = current_app.config["WORKSHOP_JOIN_WINDOW_SECONDS"]
    try:
        workshop_join.check_join_rate(db.session(), request.remote_addr, limit, window)
        room = workshop_join.find_by_code(db.session(), form.code.data)
    except ServiceError as error:
        # Not a refusal to discard (nothing was written): a wrong code counts towards the
        # limit, and the boundary commits that with the page.
        if not isinstance(error, RateLimitedError):
            workshop_join.record_failed_join(db.session(), request.remote_addr)
        attach_service_error(form, error.message, "code")
        return render_template("workshop/join.html", form=form), error.status_code
    try:
        if current_user.is_authenticated:
            workshop_join.join_as_member(db.session(), current_user, room)
            return redirect(
                url_for("workshop.room", workspace_id=room.workspace_id, session_id=room.id), 303
            )
        if not form.display_name.data:
            attach_service_error(form, "Tell the room your name.", "display_name")
            return render_template("workshop/join.html", form=form), 400
        guest = workshop_join.join_as_guest(db.session(), room, form.display_name.data)
    except ServiceError as error:
        # The join page explains a room one may not enter, or too many guests at once.
        status = refused(error, form, PermissionDeniedError, RateLimitedError)
        return render_template("workshop/join.html", form=form), status
    session.clear()
    login_user(guest)
    session.permanent = True
    return redirect(url_for("workshop.waiting"), 303)


@blueprint.route("/workshop/waiting")
@login_required
def waiting() -> BaseResponse | str:
    """Where someone who joined waits to be admitted; moves on by itself."""
    found = workshop_join.latest_participation(db.session(), current_user)
    if found and found.session_open and found.status == ParticipantStatus.ADMITTED:
        return _go("workshop.room", workspace_id=found.workspace_id, session_id=found.session_id)
    template = "workshop/_waiting.html" if is_htmx() else "workshop/waiting.html"
    return render_template(template, found=found)


@blueprint.route("/workshop/ended")
def ended() -> str:
    """Shown to guests once their session has closed."""
    return render_template("workshop/ended.html")


# --------------------------------------------------------------------------- the room


ALL_PARTS = frozenset({"state", "board", "vote"})


def _room_context(
    workspace: Workspace, role: Role, room: WorkshopSession, parts: frozenset[str] = ALL_PARTS
) -> dict[str, Any]:
    """The plain values of the room; a polled fragment computes only the part it shows."""
    vote = voting.current_vote(db.session(), room)
    step = workshop_guide.step_at(room.step_index)
    context: dict[str, Any] = {
        "workspace_id": workspace.id,
        "room": room,
        "code": format_code(room.code),
        "is_open": room.status == SessionStatus.OPEN,
        # Changes that reshape the page (step, status, vote) make every screen reload.
        "stamp": f"{room.step_index}-{room.status.value}-{vote.id if vote else 0}-"
        f"{vote.status.value if vote else ''}",
        "can_lead": role == Role.FACILITATOR,
        "vote": vote,
        "kind_labels": voting.KIND_LABELS,
        "applies_to": voting.APPLIES_TO,
    }
    if "state" in parts:
        context["state"] = workshop_guide.step_state(db.session(), workspace, room.step_index)
        context["timer"] = workshop.timer(room)
    if "board" in parts:
        context["board"] = workshop_guide.board(db.session(), step, workspace)
        context["people"] = workshop.participants(db.session(), room)
    if "vote" in parts:
        context["results"] = voting.results(db.session(), vote, current_user.id) if vote else None
        context["preview"] = (
            voting.ranking_preview(db.session(), vote)
            if vote and role == Role.FACILITATOR and vote.status == VoteStatus.CLOSED
            else []
        )
    return context


def _me(role: Role, room: WorkshopSession) -> dict[str, Any]:
    me = workshop.participant_of(db.session(), room, current_user.id)
    step = workshop_guide.step_at(room.step_index)
    return {
        "joined": me is not None and me.status == ParticipantStatus.ADMITTED,
        "can_add": can_edit(role) and step.input_kind is not None,
        "is_guest": workshop_join.guest_record(db.session(), current_user) is not None,
        # The register's names, offered while the room names the functions involved.
        "function_names": [name for _key, name in department_service.choices(db.session())]
        if step.input_kind == "function"
        else [],
        "join_url": url_for("workshop.join", code=format_code(room.code), _external=True),
        "guide": workshop_guide.GUIDE,
    }


@blueprint.route(ROOM)
@workspace_view()
def room(workspace: Workspace, role: Role, session_id: int) -> str:
    """The room: the current step, its input, what is filled, the vote and the controls."""
    found = _room_or_404(session_id)
    context = _room_context(workspace, role, found)
    form = ItemForm(formdata=None)
    form.step.data = context["state"].step.key
    return render_template(
        "workshop/room.html",
        **context,
        **_me(role, found),
        item_form=form,
        step_form=StepForm(formdata=None),
        timer_form=TimerForm(formdata=None, minutes=found.step_minutes),
        confirm_form=VersionOnlyForm(formdata=None),
        decision_form=decision_form(workspace),
        join_form=JoinForm(formdata=None, code=format_code(found.code)),
    )


def _fragment(
    template: str, workspace: Workspace, role: Role, session_id: int, parts: frozenset[str]
) -> Response:
    found = _room_or_404(session_id)
    context = _room_context(workspace, role, found, parts)
    response = make_response(render_template(template, **context))
    if request.args.get("at") not in (None, context["stamp"]):
        # The room moved on (another step, or closed): the whole page follows.
        response.headers["HX-Refresh"] = "true"
    return response


@blueprint.route(f"{ROOM}/state")
@workspace_view()
def state(workspace: Workspace, role: Role, session_id: int) -> Response:
    """Polled: the step, timer and progress; asks the page to reload when the room moved."""
    return _fragment("workshop/_state.html", workspace, role, session_id, frozenset({"state"}))


@blueprint.route(f"{ROOM}/board")
@workspace_view()
def board(workspace: Workspace, role: Role, session_id: int) -> Response:
    """Polled: what the workspace holds for the current step, and who is in the room."""
    return _fragment("workshop/_board.html", workspace, role, session_id, frozenset({"board"}))


@blueprint.route(f"{ROOM}/presenter")
@workspace_view()
def presenter(workspace: Workspace, role: Role, session_id: int) -> str:
    """The projector view: large type, the code, the step, the timer and the results."""
    found = _room_or_404(session_id)
    g.nav_factory = None
    return render_template("workshop/presenter.html", **_room_context(workspace, role, found))


@blueprint.route(f"{ROOM}/presenter/live")
@workspace_view()
def presenter_live(workspace: Workspace, role: Role, session_id: int) -> Response:
    """Polled by the projector view."""
    return _fragment("workshop/_presenter.html", workspace, role, session_id, ALL_PARTS)


def _back(workspace: Workspace, session_id: int, anchor: str | None = None) -> BaseResponse:
    return redirect(
        url_for("workshop.room", workspace_id=workspace.id, session_id=session_id, _anchor=anchor),
        303,
    )


@blueprint.route(f"{ROOM}/items", methods=["POST"])
@workspace_view(write=Action.EDIT)
def add_item(workspace: Workspace, role: Role, session_id: int) -> BaseResponse:
    """Add what the current step asks for (a factor, an objective, an initiative, ...)."""
    found = _room_or_404(session_id)
    form = ItemForm()
    if not form.validate_on_submit():
        problems = [e for f in form for e in f.errors]
        flash(" ".join(problems) or "Check the form and try again.", "error")
        return _back(workspace, session_id, "add")
    values = {name: getattr(form, name).data for name in ("title", "category", "polarity")}
    values |= {name: getattr(form, name).data for name in ("perspective", "approach", "kind")}
    try:
        title = workshop.add_item(db.session(), found, current_user, form.step.data, values)
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
    else:
        flash(f"“{title}” added.", "success")
    return _back(workspace, session_id, "add")


@blueprint.route(f"{ROOM}/step", methods=["POST"])
@workspace_view(write=Action.MANAGE_MEMBERS)
def move(workspace: Workspace, role: Role, session_id: int) -> BaseResponse:
    """Move the room to the next, previous or a chosen step."""
    found = _room_or_404(session_id)
    form = StepForm()
    if not form.validate_on_submit():
        flash("Choose where to move the room, then try again.", "error")
        return _back(workspace, session_id)
    workshop.move(db.session(), found, form.loaded_version(), form.target.data)
    return _back(workspace, session_id)


@blueprint.route(f"{ROOM}/timer", methods=["POST"])
@workspace_view(write=Action.MANAGE_MEMBERS)
def set_timer(workspace: Workspace, role: Role, session_id: int) -> BaseResponse:
    """Restart the step timer with a new number of minutes."""
    found = _room_or_404(session_id)
    form = TimerForm()
    if not form.validate_on_submit():
        flash(" ".join(e for f in form for e in f.errors), "error")
        return _back(workspace, session_id)
    workshop.set_timer(db.session(), found, form.loaded_version(), form.minutes.data)
    flash(f"The timer restarts with {form.minutes.data} minutes.", "success")
    return _back(workspace, session_id)


@blueprint.route(f"{ROOM}/participants/<id:participant_id>", methods=["POST"])
@workspace_view(write=Action.MANAGE_MEMBERS)
def decide(workspace: Workspace, role: Role, session_id: int, participant_id: int) -> BaseResponse:
    """Admit a waiting participant or turn them away."""
    found = _room_or_404(session_id)
    form = DecideForm()
    if not form.validate_on_submit():
        flash("Choose admit or turn away.", "error")
        return _back(workspace, session_id, "people")
    admit = form.decision.data == "admit"
    try:
        name = workshop.decide(db.session(), found, participant_id, admit)
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
    else:
        flash(f"{name} {'admitted' if admit else 'turned away'}.", "success")
    return _back(workspace, session_id, "people")


@blueprint.route(f"{ROOM}/close", methods=["POST"])
@workspace_view(write=Action.MANAGE_MEMBERS)
def close(workspace: Workspace, role: Role, session_id: int) -> BaseResponse:
    """End the session: no more joining, input or votes; guests leave the workspace."""
    found = _room_or_404(session_id)
    form = VersionOnlyForm()
    if not form.validate_on_submit():
        flash("Reload the page and try again.", "error")
        return _back(workspace, session_id)
    workshop.close_session(db.session(), found, form.loaded_version())
    flash("The session is closed. Everything the room added stays in the workspace.", "success")
    return _back(workspace, session_id)
