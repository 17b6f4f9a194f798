"""Members of a workspace: invitations by email, roles, removal, invite links and joining."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from workbench.extensions import db, login_manager
from workbench.models import Role, Workspace
from workbench.services import invitations, mail_messages, workspaces
from workbench.services.access import ROLE_DESCRIPTIONS, Action
from workbench.services.errors import ServiceError
from workbench.web.context import workspace_view
from workbench.web.forms import (
    ChoiceField,
    ConfirmForm,
    FlaskForm,
    VersionedForm,
    email_field,
    refused,
)
from workbench.web.mailing import deliver

blueprint = Blueprint("members", __name__)

ROLE_CHOICES = [(role.value, role.value.capitalize()) for role in Role]


def role_field(label: str = "Role") -> SelectField:
    """A role picker that only accepts the three roles."""
    return ChoiceField(
        label,
        choices=[SelectChoice(value, text) for value, text in ROLE_CHOICES],
        default=Role.ANALYST.value,
        invalid_message="Choose facilitator, analyst or executive.",
    )


class AddMemberForm(FlaskForm):
    """Invite a person by email, with or without an account."""

    email = email_field("Email address")
    role = role_field()


class RoleForm(VersionedForm):
    """Change a member's role."""

    role = role_field()


class InviteForm(FlaskForm):
    """Create an invite link for a role."""

    role = role_field("Role for people joining with this link")


def _page(
    workspace: Workspace,
    add_form: AddMemberForm,
    invite_form: InviteForm,
    new_link: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    invites = workspaces.list_invites(db.session())
    return render_template(
        "members/index.html",
        members=workspaces.list_members(db.session()),
        invites=invites,
        add_form=add_form,
        invite_form=invite_form,
        new_link=new_link,
        confirm_form=ConfirmForm(formdata=None),
        role_choices=ROLE_CHOICES,
        role_descriptions=ROLE_DESCRIPTIONS,
        can_manage=True,
        current_user_id=current_user.id,
    ), status


@blueprint.route("/workspaces/<id:workspace_id>/members", methods=["GET", "POST"])
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def index(workspace: Workspace, role: Role) -> BaseResponse | tuple[str, int]:
    """List members and invite one by email."""
    add_form = AddMemberForm()
    if request.method == "POST":
        if add_form.validate_on_submit():
            hours = current_app.config["INVITE_MAX_AGE_HOURS"]
            try:
                invite, token = invitations.invite_by_email(
                    db.session(),
                    current_user,
                    add_form.email.data,
                    Role(add_form.role.data),
                    hours,
                    current_app.config["SECRET_KEY"],
                )
                link = url_for("members.join", token=token, _external=True)
                deliver(
                    mail_messages.invitation(
                        add_form.email.data,
                        workspace.name,
                        invite.role.value,
                        current_user.display_name,
                        link,
                        hours,
                    )
                )
            except ServiceError as error:
                refused(error, add_form)
            else:
                # The same words whether or not the address has an account.
                flash(
                    f"An invitation to join as {add_form.role.data} is on its way to "
                    f"{add_form.email.data}. It works once and expires in {hours} hours.",
                    "success",
                )
                return redirect(url_for("members.index", workspace_id=workspace.id))
        return _page(workspace, add_form, InviteForm(formdata=None), status=400)
    return _page(workspace, AddMemberForm(formdata=None), InviteForm(formdata=None))


@blueprint.route("/workspaces/<id:workspace_id>/members/<id:membership_id>/role", methods=["POST"])
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def change_role(
    workspace: Workspace, role: Role, membership_id: int
) -> BaseResponse | tuple[BaseResponse, int]:
    """Change one member's role."""
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the three roles.", "error")
        return redirect(url_for("members.index", workspace_id=workspace.id)), 303
    try:
        workspaces.change_role(
            db.session(), membership_id, form.loaded_version(), Role(form.role.data)
        )
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
    else:
        flash("Role changed.", "success")
    return redirect(url_for("members.index", workspace_id=workspace.id))


@blueprint.route(
    "/workspaces/<id:workspace_id>/members/<id:membership_id>/remove", methods=["POST"]
)
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def remove(workspace: Workspace, role: Role, membership_id: int) -> BaseResponse:
    """Remove a member."""
    try:
        workspaces.remove_member(db.session(), membership_id)
    except ServiceError as error:
        refused(error)
        flash(error.message, "error")
    else:
        flash("Member removed.", "success")
    return redirect(url_for("members.index", workspace_id=workspace.id))


@blueprint.route("/workspaces/<id:workspace_id>/invites", methods=["POST"])
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def create_invite(workspace: Workspace, role: Role) -> tuple[str, int]:
    """Create an invite link and show it once."""
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(workspace, AddMemberForm(formdata=None), form, status=400)
    _invite, token = workspaces.create_invite(
        db.session(),
        current_user,
        Role(form.role.data),
        current_app.config["INVITE_MAX_AGE_HOURS"],
        current_app.config["SECRET_KEY"],
    )
    link = url_for("members.join", token=token, _external=True)
    flash("Invite link created. Copy it now: it is shown only once.", "success")
    return _page(workspace, AddMemberForm(formdata=None), InviteForm(formdata=None), new_link=link)


@blueprint.route("/workspaces/<id:workspace_id>/invites/<id:invite_id>/revoke", methods=["POST"])
@workspace_view(read=Action.MANAGE_MEMBERS, write=Action.MANAGE_MEMBERS)
def revoke_invite(workspace: Workspace, role: Role, invite_id: int) -> BaseResponse:
    """Withdraw an invite link."""
    workspaces.revoke_invite(db.session(), invite_id)
    flash("Invite link withdrawn; it no longer works.", "success")
    return redirect(url_for("members.index", workspace_id=workspace.id))


def is_invite_path(path: str) -> bool:
    """Return whether a path on this site is an invite link, so login and sign-up name it."""
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _arguments = adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:
        return False
    return endpoint == "members.join"


@blueprint.route("/join/<token>", methods=["GET", "POST"])
def join(token: str) -> BaseResponse | str | tuple[str, int]:
    """Show an invitation to whoever holds its link; a logged-in user accepts it.

    A visitor who is not logged in reads who invited them, to which workspace and with which
    role, and is offered to sign in or create an account; both bring them back here.
    """
    signed_in = current_user.is_authenticated
    if not signed_in and request.method not in {"GET", "HEAD"}:
        return login_manager.unauthorized()
    if len(token) > 500:
        return render_template("members/join.html", error="This invite link is not valid."), 400
    max_age = current_app.config["INVITE_MAX_AGE_HOURS"]
    secret = current_app.config["SECRET_KEY"]
    form = ConfirmForm()
    try:
        if request.method == "POST":
            workspace = workspaces.accept_invite(db.session(), current_user, token, secret, max_age)
            flash(f"You joined “{workspace.name}”.", "success")
            return redirect(url_for("workspaces.overview", workspace_id=workspace.id))
        viewer = current_user._get_current_object() if signed_in else None
        invite = workspaces.describe_invite(db.session(), token, secret, max_age, viewer)
    except ServiceError as error:
        # A refused invite is gone for good, whatever made it so.
        refused(error)
        return render_template("members/join.html", error=error.message), 410
    here = url_for("members.join", token=token)
    return render_template(
        "members/join.html",
        invite=invite,
        form=form if signed_in else None,
        role_description=ROLE_DESCRIPTIONS[invite.role],
        sign_in=url_for("auth.login", next=here),
        create_account=url_for("auth.register", next=here),
    )
