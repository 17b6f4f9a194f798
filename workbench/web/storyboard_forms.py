"""The forms of the storyboard page: a section's commentary and a pack's name."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from workbench.analysis.board_packs import NAME_MAX
from workbench.analysis.rich_text import MAX_CHARS
from workbench.analysis.text import clean_text
from workbench.web.forms import FlaskForm, VersionedForm, parse_id


def _blank_or_version(_form: Any, field: Any) -> None:
    """Accept no version (nothing written yet) or a well-formed one."""
    if field.data and parse_id(field.data) is None:
        raise ValidationError("This form's version was not recognised. Reload the page.")


class CommentaryForm(FlaskForm):
    """The team's view on one section; the version is empty before the first save."""

    version = HiddenField(validators=[_blank_or_version])

    body = TextAreaField(
        "Our view",
        filters=[clean_text],
        validators=[
            Length(max=MAX_CHARS, message=f"Keep the commentary to {MAX_CHARS:,} characters.")
        ],
    )

    def loaded_version(self) -> int | None:
        """Return the posted version, or None before the first save."""
        return parse_id(self.version.data) if self.version.data else None


class NewPackForm(FlaskForm):
    """A new pack's name; its sections are the ticked boxes, in the storyboard's order."""

    name = StringField(
        "Name",
        filters=[clean_text],
        validators=[
            DataRequired(message="Give the pack a name."),
            Length(max=NAME_MAX, message=f"Keep the name to {NAME_MAX} characters."),
        ],
    )


class PackNameForm(NewPackForm, VersionedForm):
    """A pack's new name, with the version it was loaded at."""
