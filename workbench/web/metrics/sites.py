"""The sites register: the places the organisation serves from; add, edit and delete a site."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from workbench.extensions import db
from workbench.models import Role, Site, Workspace
from workbench.services import sites as service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.forms import parse_id, refused
from workbench.web.metrics.blueprint import blueprint
from workbench.web.metrics.site_forms import NewSiteForm, SiteForm, site_data, site_values


@blueprint.route("/sites")
@workspace_view()
def sites(workspace: Workspace, role: Role) -> str:
    """Every site with its kind, parent and how many measurements name it."""
    rows = service.list_sites(db.session())
    return render_template(
        "metrics/sites.html",
        sites=rows,
        names={row.id: row.name for row in rows},
        counts=service.reading_counts(db.session()),
        kinds=service.KIND_LABELS,
        can_edit=can_edit(role),
    )


def _site_page(form: Any, site: Site | None, parent_id: int | None, status: int = 200) -> Any:
    choices = [row for row in service.list_sites(db.session()) if site is None or row.id != site.id]
    return render_template(
        "metrics/site_edit.html",
        form=form,
        site=site,
        parents=choices,
        parent_id=parent_id,
        count=service.reading_count(db.session(), site.id) if site else 0,
        kinds=service.KIND_LABELS,
    ), status


def _posted_parent(form: Any) -> tuple[int | None, bool]:
    """The posted parent id (empty is none) and whether it and the form are valid."""
    raw = (request.form.get("parent_id") or "").strip()
    parent = parse_id(raw) if raw else None
    valid = form.validate_on_submit()
    if raw and parent is None:
        form.form_errors.append("The chosen parent site was not recognised; choose again.")
        return None, False
    return parent, bool(valid)


@blueprint.route("/sites/new", methods=["GET", "POST"])
@workspace_view()
def new_site(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Add a site."""
    if request.method == "POST":
        form = NewSiteForm()
        parent, valid = _posted_parent(form)
        if valid:
            try:
                row = service.create_site(db.session(), site_values(form, parent))
            except ServiceError as error:
                refused(error, form)
            else:
                flash(f"Site “{row.name}” added.", "success")
                return redirect(url_for("metrics.sites", workspace_id=workspace.id), 303)
        return _site_page(form, None, parent, 400)
    return _site_page(NewSiteForm(formdata=None), None, None)


@blueprint.route("/sites/<id:site_id>", methods=["GET", "POST"])
@workspace_view()
def edit_site(workspace: Workspace, role: Role, site_id: int) -> Response | tuple[str, int]:
    """Edit a site; a save over someone else's change of the same field shows the conflict."""
    row = service.get_site(db.session(), site_id)
    if request.method == "POST":
        form = SiteForm()
        parent, valid = _posted_parent(form)
        if valid:
            try:
                service.update_site(
                    db.session(), site_id, form.loaded_version(), site_values(form, parent)
                )
            except ServiceError as error:
                refused(error, form)
            else:
                flash("Site saved.", "success")
                return redirect(url_for("metrics.sites", workspace_id=workspace.id), 303)
        return _site_page(form, row, parent, 400)
    return _site_page(SiteForm(formdata=None, data=site_data(row)), row, row.parent_id)


@blueprint.route("/sites/<id:site_id>/delete", methods=["POST"])
@workspace_view()
def delete_site(workspace: Workspace, role: Role, site_id: int) -> Response | tuple[str, int]:
    """Delete a site after confirmation; refused while measurements name it."""
    row = service.get_site(db.session(), site_id)
    try:
        name = service.delete_site(db.session(), site_id)
    except ServiceError as error:
        form = SiteForm(formdata=None, data=site_data(row))
        status = refused(error, form)
        return _site_page(form, row, row.parent_id, status)
    flash(f"Site “{name}” deleted.", "success")
    return redirect(url_for("metrics.sites", workspace_id=workspace.id), 303)
