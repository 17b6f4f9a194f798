"""Phase 1 pages: the assessment overview and the factor board with quick add."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from workbench.analysis import viability as viability_rules
from workbench.extensions import db
from workbench.models import Factor, FactorCategory, Polarity, Role, Workspace, vocabulary
from workbench.models.catalogue.assessment import FACTORS
from workbench.services import assessment as assessment_service
from workbench.services import factors as factor_service
from workbench.services import risks as risk_service
from workbench.services.errors import ServiceError
from workbench.web.context import can_edit, workspace_view
from workbench.web.form_fields import form_field
from workbench.web.forms import (
    ConfirmForm,
    FlaskForm,
    VersionedForm,
    clean_text,
    refused,
)
from workbench.web.htmx import is_htmx

blueprint = Blueprint("assessment", __name__, url_prefix="/workspaces/<id:workspace_id>/assessment")


class QuickAddForm(FlaskForm):
    """Many factors of one category and polarity, one per line."""

    category = form_field(FACTORS.field("category"))
    polarity = form_field(FACTORS.field("polarity"))
    importance = form_field(FACTORS.field("importance"))
    titles = TextAreaField(
        "Factors, one per line",
        validators=[
            DataRequired(message="Type at least one factor."),
            Length(max=20000, message="Paste at most 20,000 characters at a time."),
        ],
        filters=[clean_text],
    )


class FactorForm(VersionedForm):
    """Edit one factor."""

    title = form_field(FACTORS.field("title"))
    category = form_field(FACTORS.field("category"))
    polarity = form_field(FACTORS.field("polarity"))
    importance = form_field(FACTORS.field("importance"))
    description = form_field(FACTORS.field("description"))
    evidence = form_field(FACTORS.field("evidence"))


def _board_url(**params: str) -> str:
    # The id set on entering the workspace: reading it off the row after a commit would
    # reload the row (and on SQLite take the write lock again) just to build a link.
    values: dict[str, Any] = {"workspace_id": g.workspace_id, **params}
    return url_for("assessment.factors", **values)


def _quick_added(form: QuickAddForm, addition: factor_service.BoardAddition) -> str:
    """The in-place answer to a quick add: an empty titles field, the new cards and counts."""
    # The posted form draws the emptied titles field: a second form would cost as much again.
    form.titles.data = ""
    form.titles.raw_data = []
    return render_template(
        "assessment/_quick_added.html",
        form=form,
        added=addition.factors,
        counts=addition.counts,
        total=addition.total,
        can_edit=True,
    )


@blueprint.route("/")
@workspace_view()
def overview(workspace: Workspace, role: Role) -> str:
    """The verdict, its formula and reasons, the charts and the journey heat."""
    return render_template(
        "assessment/overview.html",
        data=assessment_service.overview(db.session()),
        rules=viability_rules,
        can_edit=can_edit(role),
    )


@blueprint.route("/factors", methods=["GET", "POST"])
@workspace_view()
def factors(workspace: Workspace, role: Role) -> Response | tuple[str, int]:
    """The board of factors by category and polarity, with the quick-add form."""
    form = QuickAddForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                addition = factor_service.add_to_board(
                    db.session(),
                    FactorCategory(form.category.data),
                    Polarity(form.polarity.data),
                    int(form.importance.data),
                    factor_service.split_quick_add(form.titles.data),
                    current_user.id,
                )
            except ServiceError as error:
                status = refused(error, form)
            else:
                if is_htmx():
                    return _quick_added(form, addition), 200
                added = len(addition.factors)
                flash(f"{added} factor{'s' if added != 1 else ''} added.", "success")
                # Keep the chosen category and polarity for the next batch.
                return redirect(
                    _board_url(
                        category=form.category.data,
                        polarity=form.polarity.data,
                        importance=form.importance.data,
                    ),
                    303,
                )
        else:
            status = 400
        if is_htmx():
            # The errors may concern any field, so the whole form is shown again.
            response = make_response(
                render_template("assessment/_quick_add_refused.html", form=form), status
            )
            response.headers["HX-Retarget"] = "#quick-add"
            return response
    else:
        form = QuickAddForm(
            formdata=None,
            data={
                key: request.args.get(key)
                for key in ("category", "polarity", "importance")
                if request.args.get(key)
            },
        )
    all_factors = factor_service.list_factors(db.session())
    return render_template(
        "assessment/factors.html",
        form=form,
        rows=factor_service.board(all_factors),
        polarities=list(Polarity),
        polarity_labels=vocabulary.POLARITY_LABELS,
        prompts=factor_service.category_prompts(db.session()),
        total=len(all_factors),
        can_edit=can_edit(role),
        confirm_form=ConfirmForm(formdata=None),
    ), status


def _factor_form_data(factor: Factor) -> dict[str, str | int]:
    return {
        "title": factor.title,
        "category": factor.category.value,
        "polarity": factor.polarity.value,
        "importance": str(factor.importance),
        "description": factor.description,
        "evidence": factor.evidence,
        "version": factor.version,
    }


@blueprint.route("/factors/<id:factor_id>", methods=["GET", "POST"])
@workspace_view()
def edit_factor(workspace: Workspace, role: Role, factor_id: int) -> Response | tuple[str, int]:
    """Edit one factor: a page of its own, or in place on the board with htmx."""
    factor = factor_service.get_factor(db.session(), factor_id)
    form = FactorForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            values = {
                "title": form.title.data,
                "category": FactorCategory(form.category.data),
                "polarity": Polarity(form.polarity.data),
                "importance": int(form.importance.data),
                "description": form.description.data or "",
                "evidence": form.evidence.data or "",
            }
            try:
                factor = factor_service.update_factor(
                    db.session(), factor_id, form.loaded_version(), values
                )
            except ServiceError as error:
                status = refused(error, form)
            else:
                if is_htmx():
                    return render_template(
                        "assessment/_factor_card.html",
                        factor=factor,
                        can_edit=True,
                        confirm_form=ConfirmForm(formdata=None),
                    ), 200
                flash("Factor saved.", "success")
                return redirect(_board_url() + f"#factor-{factor.id}", 303)
        else:
            status = 400
    else:
        form = FactorForm(formdata=None, data=_factor_form_data(factor))
    if is_htmx():
        return render_template("assessment/_factor_edit.html", form=form, factor=factor), status
    return render_template(
        "assessment/factor_edit.html",
        form=form,
        factor=factor,
        risks=risk_service.risks_from_factor(db.session(), factor_id),
    ), status


@blueprint.route("/factors/<id:factor_id>/card")
@workspace_view()
def factor_card(workspace: Workspace, role: Role, factor_id: int) -> str:
    """One factor's card (used to cancel an in-place edit)."""
    return render_template(
        "assessment/_factor_card.html",
        factor=factor_service.get_factor(db.session(), factor_id),
        can_edit=can_edit(role),
        confirm_form=ConfirmForm(formdata=None),
    )


@blueprint.route("/factors/<id:factor_id>/delete", methods=["POST"])
@workspace_view()
def delete_factor(workspace: Workspace, role: Role, factor_id: int) -> Response:
    """Delete a factor after confirmation."""
    title = factor_service.delete_factor(db.session(), factor_id)
    flash(f"Deleted “{title}”.", "success")
    return redirect(_board_url(), 303)


@blueprint.route("/factors/<id:factor_id>/move", methods=["POST"])
@workspace_view()
def move_factor(workspace: Workspace, role: Role, factor_id: int) -> Response:
    """Move a factor up or down within its category."""
    factor_service.move_factor(db.session(), factor_id, direction=request.form.get("direction", ""))
    return redirect(_board_url() + f"#factor-{factor_id}", 303)
