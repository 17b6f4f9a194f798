"""Success stories: recoveries that went well; add, edit and delete a story."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Role, SuccessStory, Workspace
from workbench.services import stories as service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.operating.blueprint import blueprint
from workbench.web.operating.story_forms import NewStoryForm, StoryForm, story_data, story_values


@blueprint.route("/stories")
@workspace_view()
def stories(workspace: Workspace, role: Role) -> str:
    """Every story, featured and strongest first, with how each may be quoted."""
    rows = service.list_stories(db.session())
    return render_template(
        "operating/stories.html",
        stories=rows,
        quoted={row.id: service.quoted_as(row) for row in rows},
        scenarios=dict(service.scenario_choices(db.session())),
        permissions=service.PERMISSION_LABELS,
        can_edit=can_edit(role),
    )


def _story_page(
    form: Any, story: SuccessStory | None, scenario_id: int | None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "operating/story_edit.html",
        form=form,
        story=story,
        chosen_scenario=scenario_id,
        scenarios=service.scenario_choices(db.session()),
        permissions=service.PERMISSION_LABELS,
    ), status


def _posted(form: Any) -> tuple[int | None, bool]:
    """The posted scenario id, and whether it and the form are valid."""
    raw = (request.form.get("scenario") or "").strip()
    scenario_id = parse_id(raw)
    valid = form.validate_on_submit()
    if raw and scenario_id is None:
        form.form_errors.append("The chosen scenario was not recognised; choose again.")
        return None, False
    return scenario_id, bool(valid)


@blueprint.route("/stories/new", methods=["GET", "POST"])
@workspace_view()
def new_story(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Record a recovery that went well."""
    if request.method == "POST":
        form = NewStoryForm()
        scenario_id, valid = _posted(form)
        if valid:
            try:
                row = service.create_story(db.session(), story_values(form, scenario_id))
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"“{row.title}” added to the success stories.", "success")
                return redirect(url_for("operating.stories", workspace_id=workspace.id), 303)
        return _story_page(form, None, scenario_id, 400)
    chosen = parse_id(request.args.get("scenario"))
    return _story_page(NewStoryForm(formdata=None), None, chosen)


@blueprint.route("/stories/<id:story_id>", methods=["GET", "POST"])
@workspace_view()
def edit_story(workspace: Workspace, role: Role, story_id: int) -> Response | tuple[str, int]:
    """Edit a story; a save over someone else's change of the same field shows the conflict."""
    row = service.get_story(db.session(), story_id)
    if request.method == "POST":
        form = StoryForm()
        scenario_id, valid = _posted(form)
        if valid:
            try:
                service.update_story(
                    db.session(), story_id, form.loaded_version(), story_values(form, scenario_id)
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Story saved.", "success")
                return redirect(
                    url_for("operating.stories", workspace_id=workspace.id) + f"#story-{story_id}",
                    303,
                )
        return _story_page(form, row, scenario_id, 400)
    return _story_page(StoryForm(formdata=None, data=story_data(row)), row, row.scenario_id)


@blueprint.route("/stories/<id:story_id>/delete", methods=["POST"])
@workspace_view()
def delete_story(workspace: Workspace, role: Role, story_id: int) -> Response:
    """Delete a story after confirmation."""
    title = service.delete_story(db.session(), story_id)
    flash(f"“{title}” removed from the success stories.", "success")
    return redirect(url_for("operating.stories", workspace_id=workspace.id), 303)
