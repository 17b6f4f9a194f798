"""Forms of the guided workshop: opening a session, joining, leading, adding and voting."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from workbench.models import Approach, Perspective
from workbench.models.vocabulary import CATEGORY_LABELS
from workbench.services.voting import KIND_LABELS
from workbench.services.workshop import MAX_DOTS, MAX_MINUTES, POLARITY_CHOICES
from workbench.web.forms import (
    FlaskForm,
    VersionedForm,
    choice_field,
    clean_text,
    line_field,
    parse_id,
)


def _minutes(label: str, default: int = 10) -> IntegerField:
    return IntegerField(
        label,
        default=default,
        validators=[
            DataRequired(message=f"Give a number of minutes between 1 and {MAX_MINUTES}."),
            NumberRange(
                min=1, max=MAX_MINUTES, message=f"Give between 1 and {MAX_MINUTES} minutes."
            ),
        ],
    )


class OpenSessionForm(FlaskForm):
    """Open a workshop session for the workspace."""

    title = line_field("Session title", max_length=120)
    minutes = _minutes("Minutes per step")


class JoinForm(FlaskForm):
    """Join a session with its code; people without an account also give a name."""

    code = StringField(
        "Join code",
        validators=[
            DataRequired(message="Type the code the facilitator shows."),
            Length(max=32, message="A join code has eight letters and digits."),
        ],
        filters=[clean_text],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    display_name = line_field("Your name", max_length=60, required=False)


class StepForm(VersionedForm):
    """Move the room: next, previous or a step number chosen from the list."""

    target = StringField(validators=[DataRequired(message="Choose where to move the room.")])


class VersionOnlyForm(VersionedForm):
    """A confirmed action on a versioned row (close a session, close or apply a vote)."""


class TimerForm(VersionedForm):
    """Restart the step timer with a new duration."""

    minutes = _minutes("Minutes for this step")


class ItemForm(FlaskForm):
    """Add one thing the current step asks for; only the fields of that step are shown."""

    step = HiddenField(validators=[DataRequired(message="Reload the page and try again.")])
    title = line_field("Title", max_length=200)
    category = choice_field(
        "Category",
        [(c.value, label) for c, label in CATEGORY_LABELS.items()],
        "business_need",
    )
    polarity = choice_field("It is a", POLARITY_CHOICES, "driver")
    perspective = choice_field(
        "Perspective",
        [(p.value, p.value.replace("_", " ").capitalize()) for p in Perspective],
        "customer",
    )
    approach = choice_field(
        "Approach", [(a.value, a.value.capitalize()) for a in Approach], "recover"
    )
    kind = choice_field(
        "Kind", [("challenge", "Challenge"), ("opportunity", "Opportunity")], "challenge"
    )


class DecideForm(FlaskForm):
    """Admit a waiting participant or turn them away."""

    decision = choice_field("Decision", [("admit", "Admit"), ("refuse", "Turn away")], "admit")


class VoteForm(FlaskForm):
    """Open a dot vote."""

    kind = choice_field(
        "Vote on", [(k.value, label) for k, label in KIND_LABELS.items()], "factors"
    )
    question = line_field("Question", max_length=200, required=False)
    dots = IntegerField(
        "Dots per person",
        default=3,
        validators=[
            DataRequired(message=f"Give between 1 and {MAX_DOTS} dots."),
            NumberRange(min=1, max=MAX_DOTS, message=f"Give between 1 and {MAX_DOTS} dots."),
        ],
    )


class DotForm(FlaskForm):
    """Place a dot on an item, or take one back."""

    item_id = HiddenField(validators=[DataRequired(message="Choose an item.")])
    action = choice_field("Action", [("add", "Add"), ("remove", "Take back")], "add")

    def item(self) -> int | None:
        """Return the posted item id, or None when it is not a plain id."""
        return parse_id(self.item_id.data)
