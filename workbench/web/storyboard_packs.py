"""The storyboard page's packs (sections per audience) and the team's commentary per section."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.analysis.board_packs import SECTION_KEYS, SECTION_TITLES, SECTIONS
from workbench.extensions import db
from workbench.models import Role, StoryboardPack, Workspace
from workbench.services import board_packs as service
from workbench.services.errors import NotFoundError, ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.storyboard_forms import CommentaryForm, NewPackForm, PackNameForm

blueprint = Blueprint("storyboard_packs", __name__)
PREFIX = "/workspaces/<id:workspace_id>/storyboard"
# Where a commentary form may send its writer back to: the pages that carry one.
BACK = {
    "storyboard": "storyboard.index",
    "metrics": "metrics.index",
    "playbook": "operating.playbook",
}
STEPS = {"up": -1, "down": 1}


def _back(workspace_id: int, section: str) -> str:
    place = request.values.get("back", "storyboard")
    if place in BACK and place != "storyboard":
        return url_for(BACK[place], workspace_id=workspace_id) + "#our-view"
    return url_for("storyboard.index", workspace_id=workspace_id) + f"#view-{section}"


def _section(section: str) -> str:
    if section not in SECTION_TITLES:
        raise NotFoundError("There is no storyboard section of that name.")
    return section


@blueprint.route(f"{PREFIX}/commentary/<section>", methods=["GET", "POST"])
@workspace_view()
def commentary(workspace: Workspace, role: Role, section: str) -> Response | tuple[str, int]:
    """Write the team's view on one section; a stale save shows the conflict."""
    key = _section(section)
    panel = service.commentary_panel(db.session(), key)
    if request.method == "POST":
        form = CommentaryForm()
        if form.validate_on_submit():
            try:
                service.save_commentary(db.session(), key, form.loaded_version(), form.body.data)
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"Our view on “{panel.title}” saved.", "success")
                return redirect(_back(workspace.id, key), 303)
        return _commentary_page(form, panel, 400)
    data = {"body": panel.body, "version": panel.version or ""}
    return _commentary_page(CommentaryForm(formdata=None, data=data), panel, 200)


def _commentary_page(form: Any, panel: service.CommentaryPanel, status: int) -> tuple[str, int]:
    back = request.values.get("back", "storyboard")
    return render_template(
        "storyboard/commentary.html",
        form=form,
        panel=panel,
        back=back if back in BACK else "storyboard",
    ), status


def _selected_sections() -> list[str]:
    # Ticked boxes arrive in the page's order, which is the full storyboard's order.
    return [key for key in request.form.getlist("sections") if key]


@blueprint.route(f"{PREFIX}/packs/new", methods=["GET", "POST"])
@workspace_view()
def new_pack(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Add a pack: a name and the sections it holds."""
    if request.method == "POST":
        form = NewPackForm()
        chosen = _selected_sections()
        if form.validate_on_submit():
            try:
                row = service.create_pack(db.session(), form.name.data, chosen)
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"Pack “{row.name}” added.", "success")
                return redirect(_pack_anchor(workspace.id, row), 303)
        return _new_pack_page(form, chosen, 400)
    return _new_pack_page(NewPackForm(formdata=None), list(SECTION_KEYS), 200)


def _new_pack_page(form: Any, chosen: list[str], status: int) -> tuple[str, int]:
    return render_template(
        "storyboard/pack_new.html", form=form, sections=SECTIONS, chosen=chosen
    ), status


def _pack_anchor(workspace_id: int, row: StoryboardPack) -> str:
    return url_for("storyboard.index", workspace_id=workspace_id) + f"#pack-{row.id}"


@blueprint.route(f"{PREFIX}/packs/<id:pack_id>", methods=["GET", "POST"])
@workspace_view()
def pack(workspace: Workspace, role: Role, pack_id: int) -> Response | tuple[str, int]:
    """Rename a pack; a stale save over someone else's change shows the conflict."""
    row = service.get_pack(db.session(), pack_id)
    if request.method == "POST":
        form = PackNameForm()
        if form.validate_on_submit():
            try:
                service.update_pack(
                    db.session(), pack_id, form.loaded_version(), form.name.data, row.sections
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Pack renamed.", "success")
                return redirect(_pack_anchor(workspace.id, row), 303)
        return _pack_page(form, row, 400)
    data = {"name": row.name, "version": row.version}
    return _pack_page(PackNameForm(formdata=None, data=data), row, 200)


def _pack_page(form: Any, row: StoryboardPack, status: int) -> tuple[str, int]:
    return render_template(
        "storyboard/pack.html", form=form, pack=pack_view(row), sections=SECTIONS
    ), status


def pack_view(row: StoryboardPack) -> dict[str, Any]:
    """A pack as the page lists it: id, name, version and its sections with their titles."""
    keys = service.choice_of(row).sections
    return {
        "id": row.id,
        "key": row.code,
        "name": row.name,
        "version": row.version,
        "sections": [(key, SECTION_TITLES[key]) for key in keys],
        "missing": [(key, title) for key, title in SECTIONS if key not in keys],
    }


@blueprint.route(f"{PREFIX}/packs/<id:pack_id>/sections", methods=["POST"])
@workspace_view()
def pack_sections(workspace: Workspace, role: Role, pack_id: int) -> Response:
    """Move a section up or down, take it out, or add one at the end (works without script)."""
    row = service.get_pack(db.session(), pack_id)
    version = parse_id(request.form.get("version"))
    section = request.form.get("section", "")
    action = request.form.get("action", "")
    keys = list(service.choice_of(row).sections)
    if version is None:
        raise ServiceError("This form is missing the version it was loaded with. Reload the page.")
    if action in STEPS:
        service.move_section(db.session(), pack_id, version, section, STEPS[action])
    elif action == "remove":
        service.update_pack(
            db.session(), pack_id, version, row.name, [k for k in keys if k != section]
        )
    elif action == "add":
        service.update_pack(db.session(), pack_id, version, row.name, [*keys, section])
    else:
        raise ServiceError("Choose to move, add or take out a section.")
    return redirect(_pack_anchor(workspace.id, row), 303)


@blueprint.route(f"{PREFIX}/packs/<id:pack_id>/delete", methods=["GET", "POST"])
@workspace_view()
def delete_pack(workspace: Workspace, role: Role, pack_id: int) -> Response | str:
    """Ask, then delete a pack; its published versions stay under its name."""
    row = service.get_pack(db.session(), pack_id)
    if request.method == "POST":
        name = service.delete_pack(db.session(), pack_id)
        flash(f"Pack “{name}” deleted. Its published versions stay.", "success")
        return redirect(url_for("storyboard.index", workspace_id=workspace.id) + "#packs", 303)
    return render_template("storyboard/pack_delete.html", pack=pack_view(row))


def pack_context(role: Role) -> dict[str, Any]:
    """What the storyboard page shows of the packs and the commentary."""
    return {
        "packs": [pack_view(row) for row in service.list_packs(db.session())],
        "panels": service.commentary_panels(db.session()),
        "can_edit": can_edit(role),
    }
