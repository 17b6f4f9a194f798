"""The storyboard's branding on the workspace settings: the logo and the accent colour.

The forms sit on the settings page; a refused save is shown on the branding page, which
holds the same forms, with the message beside its field.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

from workbench.exchange.logo import MAX_BYTES
from workbench.extensions import db
from workbench.models import Role, Workspace
from workbench.services import branding
from workbench.services.access import Action
from workbench.services.errors import ServiceError, StaleEditError
from workbench.web.context import workspace_view
from workbench.web.forms import VersionedForm, clean_text, refused
from workbench.web.unit_of_work import discard

blueprint = Blueprint("branding", __name__)
PREFIX = "/workspaces/<id:workspace_id>/settings/branding"
MANAGE = {"read": Action.MANAGE_MEMBERS, "write": Action.MANAGE_MEMBERS}


class AccentForm(VersionedForm):
    """The accent colour, as #RRGGBB; empty for the storyboard's own colour."""

    accent = StringField(
        "Accent colour",
        validators=[Optional(), Length(max=20, message="Write the colour as #RRGGBB.")],
        filters=[clean_text],
        description="Six hexadecimal digits after #, such as #0F5C63. Leave it empty for "
        "the storyboard's own teal. White text and headings must stay readable on it: a "
        "colour below a contrast of 4.5 to 1 against white is refused.",
    )


class LogoForm(VersionedForm):
    """A new logo file."""

    logo = FileField(
        "Logo file",
        description=f"A PNG or an SVG file of at most {MAX_BYTES // 1024} KB. A PNG is "
        "stored as a fresh copy of its pixels (larger pictures are scaled down to 1,024 "
        "pixels); an SVG is kept only if it draws everything itself: no scripts, links, "
        "embedded images or outside references.",
    )


class RemoveLogoForm(VersionedForm):
    """Remove the logo, confirmed by a tick."""

    confirm = BooleanField(
        "Yes, remove the logo from the storyboard",
        validators=[DataRequired(message="Tick the box to confirm that the logo goes.")],
    )


def settings_values(**forms: Any) -> dict[str, Any]:
    """Return what the settings page shows of the branding, with any refused forms."""
    current = branding.view(db.session())
    version = {"version": current.version}
    return {
        "branding": current,
        "accent_form": forms.get("accent_form")
        or AccentForm(formdata=None, data={**version, "accent": current.accent or ""}),
        "logo_form": forms.get("logo_form") or LogoForm(formdata=None, data=version),
        "remove_logo_form": forms.get("remove_logo_form")
        or RemoveLogoForm(formdata=None, data=version),
    }


def _page(status: int, **forms: Any) -> tuple[str, int]:
    return render_template("workspaces/branding.html", **settings_values(**forms)), status


def _done(workspace: Workspace, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("workspaces.settings", workspace_id=workspace.id) + "#branding", 303)


@blueprint.route(f"{PREFIX}/")
@workspace_view(**MANAGE)
def page(workspace: Workspace, role: Role) -> tuple[str, int]:
    """The branding forms on a page of their own (where a refused save is shown)."""
    return _page(200)


@blueprint.route(f"{PREFIX}/accent", methods=["POST"])
@workspace_view(**MANAGE)
def accent(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Save the accent colour; a colour that reads badly is refused with its ratio."""
    form = AccentForm()
    if not form.validate_on_submit():
        return _page(400, accent_form=form)
    try:
        row = branding.set_accent(db.session(), form.loaded_version(), form.accent.data or "")
    except ServiceError as error:
        return _page(refused(error, form), accent_form=form)
    if row.accent:
        return _done(workspace, f"Accent colour {row.accent} saved.")
    return _done(workspace, "The storyboard uses its own colour again.")


def _logo_conflict() -> tuple[str, int]:
    """The logo forms afresh at the stored version, saying someone changed the logo.

    A browser cannot post a file again from a conflict page, so instead of one the forms
    are shown at the stored version with the logo now stored, and the file is chosen again.
    """
    discard()
    current = branding.view(db.session())
    version = {"version": current.version}
    form = LogoForm(formdata=None, data=version)
    form.form_errors.append(
        "Someone changed the logo while you had this page open; the logo shown now is "
        "theirs. To use yours instead, choose your file again and upload it."
    )
    return _page(409, logo_form=form, remove_logo_form=RemoveLogoForm(formdata=None, data=version))


@blueprint.route(f"{PREFIX}/logo", methods=["POST"])
@workspace_view(**MANAGE)
def logo(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Upload a logo: checked by its content, remade, and stored only when all is well."""
    form = LogoForm()
    if not form.validate_on_submit():
        return _page(400, logo_form=form)
    upload = request.files.get("logo")
    if upload is None or not upload.filename:
        form.logo.errors = ["Choose the logo's PNG or SVG file."]
        return _page(400, logo_form=form)
    raw = upload.read(MAX_BYTES + 1)
    try:
        branding.set_logo(db.session(), form.loaded_version(), raw)
    except StaleEditError:
        return _logo_conflict()
    except ServiceError as error:
        return _page(refused(error, form), logo_form=form)
    return _done(workspace, "Logo saved. It shows on the storyboard's cover and page headers.")


@blueprint.route(f"{PREFIX}/logo/remove", methods=["POST"])
@workspace_view(**MANAGE)
def remove_logo(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """Remove the logo once the facilitator confirms it."""
    form = RemoveLogoForm()
    if not form.validate_on_submit():
        return _page(400, remove_logo_form=form)
    try:
        removed = branding.remove_logo(db.session(), form.loaded_version())
    except StaleEditError:
        return _logo_conflict()
    return _done(workspace, "Logo removed." if removed else "There was no logo to remove.")
