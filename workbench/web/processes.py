"""Phase 3 pages: processes, their steps and the RACI matrix with its rule check."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.analysis.raci import RACI_ROLES
from workbench.analysis.raci import summary as raci_summary
from workbench.config import seeds_dir
from workbench.extensions import db
from workbench.models import Process, Role, Workspace
from workbench.services import departments as department_service
from workbench.services import initiatives as initiative_service
from workbench.services import operating, process_links
from workbench.services import processes as service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.htmx import is_htmx
from workbench.web.operating.forms import (
    NewProcessForm,
    NewStepForm,
    ProcessForm,
    StepForm,
    links_text,
)

blueprint = Blueprint(
    "processes", __name__, url_prefix="/workspaces/<id:workspace_id>/operating/processes"
)


def _templates() -> list[service.ProcessTemplate]:
    return service.templates(seeds_dir(current_app.config))


@blueprint.route("/", methods=["GET", "POST"])
@workspace_view()
def index(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """The processes, the recovery template to adopt, and a form for a new process."""
    form = NewProcessForm()
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                process = service.create_process(
                    db.session(), form.name.data, form.description.data or ""
                )
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash(f"Process “{process.name}” created. Add its steps.", "success")
                return redirect(
                    url_for("processes.detail", workspace_id=workspace.id, process_id=process.id),
                    303,
                )
    else:
        form = NewProcessForm(formdata=None)
        status = 200
    offered = _templates()
    return render_template(
        "operating/processes.html",
        processes=service.list_processes(db.session()),
        links=process_links.links_by_process(db.session()),
        templates=offered,
        earlier=service.earlier_copies(db.session(), offered),
        form=form,
        can_edit=can_edit(role),
    ), status


@blueprint.route("/adopt", methods=["POST"])
@workspace_view()
def adopt(workspace: Workspace, role: Role) -> Response:
    """Adopt a process template."""
    key = request.form.get("template", "")
    template = next((t for t in _templates() if t.key == key), None)
    if template is None:
        raise ServiceError("Choose a process template from the list.")
    process = service.adopt_template(db.session(), template)
    flash(
        f"“{process.name}” adopted with {len(template.steps)} steps. Now assign the roles.",
        "success",
    )
    return redirect(
        url_for("processes.detail", workspace_id=workspace.id, process_id=process.id), 303
    )


def _detail(
    workspace: Workspace,
    role: Role,
    process: Process,
    status: int = 200,
    chosen: set[int] | None = None,
    **forms: object,
) -> tuple[str, int]:
    steps = service.steps_of(db.session(), process.id)
    report = service.raci_report(db.session(), process.id)
    linked = process_links.initiative_ids(db.session(), process.id)
    initiatives = initiative_service.list_initiatives(db.session())
    return render_template(
        "operating/process.html",
        process=process,
        steps=steps,
        stakeholders=operating.list_stakeholders(db.session()),
        cells=service.assignments(db.session(), process.id),
        report=report,
        summary=raci_summary(report),
        roles=RACI_ROLES,
        initiatives=initiatives,
        linked=[i for i in initiatives if i.id in linked],
        chosen=linked if chosen is None else chosen,
        departments=department_service.choices(db.session()),
        form=forms.get("form")
        or ProcessForm(
            formdata=None,
            data={
                "name": process.name,
                "description": process.description,
                "department": process.department,
                "loaded_initiatives": links_text(linked),
                "version": process.version,
            },
        ),
        step_form=forms.get("step_form") or NewStepForm(formdata=None),
        notice=forms.get("notice"),
        can_edit=can_edit(role),
    ), status


@blueprint.route("/<id:process_id>", methods=["GET", "POST"])
@workspace_view()
def detail(workspace: Workspace, role: Role, process_id: int) -> Response | tuple[str, int]:
    """A process: its steps, the RACI matrix, its department and the initiatives changing it."""
    process = service.get_process(db.session(), process_id)
    if request.method == "POST":
        form = ProcessForm()
        chosen = {parse_id(v) for v in request.form.getlist("initiative")}
        loaded = form.loaded_links()
        valid = form.validate_on_submit()
        if None in chosen or loaded is None:
            form.form_errors.append("A chosen initiative was not recognised; choose again.")
            valid = False
        picked = {i for i in chosen if i}
        if valid:
            try:
                process_links.save_process(
                    db.session(),
                    process_id,
                    form.loaded_version(),
                    {
                        "name": form.name.data,
                        "description": form.description.data or "",
                        "department": form.department.data or "",
                    },
                    loaded,
                    picked,
                )
            except ServiceError as error:
                return _detail(workspace, role, process, refused(error, form), picked, form=form)
            flash("Process saved.", "success")
            return redirect(
                url_for("processes.detail", workspace_id=workspace.id, process_id=process_id), 303
            )
        return _detail(workspace, role, process, 400, picked, form=form)
    return _detail(workspace, role, process)


@blueprint.route("/<id:process_id>/delete", methods=["POST"])
@workspace_view()
def delete(workspace: Workspace, role: Role, process_id: int) -> Response:
    """Delete a process after confirmation."""
    name = service.delete_process(db.session(), process_id)
    flash(f"Process “{name}” deleted.", "success")
    return redirect(url_for("processes.index", workspace_id=workspace.id), 303)


@blueprint.route("/<id:process_id>/steps", methods=["POST"])
@workspace_view()
def add_step(workspace: Workspace, role: Role, process_id: int) -> Response | tuple[str, int]:
    """Append a step."""
    process = service.get_process(db.session(), process_id)
    form = NewStepForm()
    if form.validate_on_submit():
        try:
            service.add_step(db.session(), process_id, form.name.data, form.description.data or "")
        except ServiceError as error:
            return _detail(workspace, role, process, refused(error, form), step_form=form)
        flash("Step added.", "success")
        return redirect(
            url_for("processes.detail", workspace_id=workspace.id, process_id=process_id)
            + "#steps",
            303,
        )
    return _detail(workspace, role, process, 400, step_form=form)


@blueprint.route("/<id:process_id>/steps/<id:step_id>", methods=["GET", "POST"])
@workspace_view()
def edit_step(
    workspace: Workspace, role: Role, process_id: int, step_id: int
) -> Response | tuple[str, int]:
    """Rename or describe a step."""
    step = service.get_step(db.session(), process_id, step_id)
    if request.method == "POST":
        form = StepForm()
        status = 400
        if form.validate_on_submit():
            try:
                service.update_step(
                    db.session(),
                    process_id,
                    step_id,
                    form.loaded_version(),
                    form.name.data,
                    form.description.data or "",
                )
            except ServiceError as error:
                status = refused(error, form)
            else:
                flash("Step saved.", "success")
                return redirect(
                    url_for("processes.detail", workspace_id=workspace.id, process_id=process_id)
                    + "#steps",
                    303,
                )
    else:
        form = StepForm(
            formdata=None,
            data={"name": step.name, "description": step.description, "version": step.version},
        )
        status = 200
    return render_template(
        "operating/step_edit.html", form=form, step=step, process_id=process_id
    ), status


@blueprint.route("/<id:process_id>/steps/<id:step_id>/move", methods=["POST"])
@workspace_view()
def move_step(workspace: Workspace, role: Role, process_id: int, step_id: int) -> Response:
    """Move a step up or down."""
    service.move_step(db.session(), process_id, step_id, request.form.get("direction", ""))
    return redirect(
        url_for("processes.detail", workspace_id=workspace.id, process_id=process_id) + "#steps",
        303,
    )


@blueprint.route("/<id:process_id>/steps/<id:step_id>/delete", methods=["POST"])
@workspace_view()
def delete_step(workspace: Workspace, role: Role, process_id: int, step_id: int) -> Response:
    """Delete a step after confirmation."""
    name = service.delete_step(db.session(), process_id, step_id)
    flash(f"Step “{name}” deleted.", "success")
    return redirect(
        url_for("processes.detail", workspace_id=workspace.id, process_id=process_id) + "#steps",
        303,
    )


@blueprint.route("/<id:process_id>/raci", methods=["POST"])
@workspace_view()
def raci(workspace: Workspace, role: Role, process_id: int) -> Response | tuple[str, int]:
    """Set RACI cells: one cell (htmx or a small form) or the whole matrix at once."""
    process = service.get_process(db.session(), process_id)
    changes = []
    for name, value in request.form.items():
        if not name.startswith("r-"):
            continue
        parts = name.split("-")
        step_id = parse_id(parts[1]) if len(parts) == 3 else None
        stakeholder_id = parse_id(parts[2]) if len(parts) == 3 else None
        version = parse_id(
            request.form.get(f"v-{parts[1]}-{parts[2]}") if len(parts) == 3 else None
        )
        if step_id is None or stakeholder_id is None or version is None:
            return _detail(
                workspace,
                role,
                process,
                400,
                notice="Some cells could not be read. Reload the page.",
            )
        changes.append((step_id, stakeholder_id, value, version))
    service.save_roles(db.session(), process_id, changes)
    if is_htmx():
        return _detail(workspace, role, process)
    flash("Roles saved.", "success")
    return redirect(
        url_for("processes.detail", workspace_id=workspace.id, process_id=process_id) + "#raci", 303
    )
