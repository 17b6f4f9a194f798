"""Form fields built from the field catalogue, so a form offers exactly the catalogue's limits."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FloatField,
    IntegerField,
    SelectMultipleField,
)
from wtforms import Field as FormField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from workbench.models.catalogue.shared import DEPARTMENT_MAX
from workbench.models.fields import MONEY_MAX, NUMBER_LIMIT, FieldSpec
from workbench.web.forms import ChoiceField, FlaskForm, choice_field, line_field, text_field

NUMBER_MESSAGE = "Enter a plain number such as 42 or -3.5."
AMOUNT_MESSAGE = "Enter an amount such as 1250 or 1250.50."


def _shown(number: float) -> str:
    """A limit as people read it: 10,080 rather than 10080.0."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def date_field(label: str, required_message: str | None = None) -> DateField:
    """A date (yyyy-mm-dd, the browser's date picker format), optional unless a message is given."""
    return DateField(
        label,
        validators=[InputRequired(message=required_message) if required_message else Optional()],
        format="%Y-%m-%d",
        invalid_value_message="Enter a date as yyyy-mm-dd, for example 2027-03-31.",
        render_kw={"type": "date"},
    )


def _finite_amount(_form: Any, field: Any) -> None:
    # Decimal accepts "NaN" and "Infinity", which no budget can be.
    if field.data is not None and not field.data.is_finite():
        raise ValidationError(AMOUNT_MESSAGE)


def money_field(label: str) -> DecimalField:
    """An optional, non-negative amount with two decimals."""
    return DecimalField(
        label,
        places=2,
        invalid_value_message=AMOUNT_MESSAGE,
        validators=[
            Optional(),
            _finite_amount,
            NumberRange(
                min=Decimal(0), max=MONEY_MAX, message=f"Enter an amount from 0 to {MONEY_MAX:,}."
            ),
        ],
        render_kw={"inputmode": "decimal"},
    )


def _finite(_form: Any, field: Any) -> None:
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(NUMBER_MESSAGE)


def number_field(
    label: str,
    required: bool = False,
    low: float = -NUMBER_LIMIT,
    high: float = NUMBER_LIMIT,
    message: str | None = None,
) -> FloatField:
    """A number (integers or decimals) from `low` to `high`, refusing NaN and infinities."""
    validators: list[Any] = (
        [InputRequired(message=f"Enter the {label.lower()}.")] if required else [Optional()]
    )
    if message is None and (low, high) == (-NUMBER_LIMIT, NUMBER_LIMIT):
        message = "That number is too large."
    elif message is None and (low, high) == (0, NUMBER_LIMIT):
        message = f"The {label.lower()} cannot be negative or more than {_shown(high)}."
    elif message is None:
        message = f"Enter a number from {_shown(low)} to {_shown(high)}."
    # NumberRange fills in %(min)s and %(max)s: a literal percent sign must be doubled.
    validators += [_finite, NumberRange(min=low, max=high, message=message.replace("%", "%%"))]
    return FloatField(label, validators=validators, render_kw={"inputmode": "decimal"})


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a list of choices."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        """Refuse values that are not among the choices, naming the field."""
        allowed = {choice.value for choice in self.choices}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(f"Choose {self.label.text.lower()} from the list.")


def _choice(spec: FieldSpec, label: str, blank: tuple[str, str] | None) -> FormField:
    options = [*([blank] if blank else []), *spec.choices]
    if blank and not blank[0]:
        # An empty first option means "none": the field may be left at it.
        values = [value for value, _text in spec.choices]
        return ChoiceField(
            label,
            choices=[SelectChoice(value, text) for value, text in options],
            default="",
            validators=[Optional()],
            invalid_message=f"Choose {', '.join(values[:-1])} or {values[-1]}.",
        )
    default = spec.default or (blank[0] if blank else options[0][0])
    return choice_field(label, options, default)


def form_field(
    spec: FieldSpec,
    label: str | None = None,
    *,
    required_message: str | None = None,
    blank: tuple[str, str] | None = None,
    message: str | None = None,
) -> FormField:
    """The WTForms field of a catalogue field, with its limits, choices and cleaning.

    `label` replaces the catalogue's label where a page words it differently, `blank` adds a
    first option meaning "none" to an optional choice, and `message` words a range refusal.
    """
    label = label or spec.label
    kind = spec.kind
    if kind == "line":
        return line_field(
            label, spec.max_length or 0, spec.required, required_message=required_message
        )
    if kind == "text":
        if spec.required and required_message is None:
            required_message = f"{label} is required."
        return text_field(label, spec.max_length or 0, required_message=required_message)
    if kind == "choice":
        return _choice(spec, label, blank)
    if kind == "integer" and spec.choices:
        return choice_field(label, list(spec.choices), str(spec.default or spec.choices[0][0]))
    if kind == "integer":
        low, high = int(spec.minimum or 0), int(spec.maximum or 0)
        return IntegerField(
            label,
            validators=[
                *([] if spec.required else [Optional()]),
                NumberRange(
                    min=low,
                    max=high,
                    message=(message or f"Enter {_shown(low)} to {_shown(high)}.").replace(
                        "%", "%%"
                    ),
                ),
            ],
        )
    if kind == "number":
        return number_field(
            label, spec.required, spec.low or 0.0, spec.high or 0.0, message=message
        )
    if kind == "money":
        return money_field(label)
    if kind == "date":
        if spec.required and required_message is None:
            required_message = f"Enter the {label.lower()}."
        return date_field(label, required_message)
    if kind == "boolean":
        return BooleanField(label)
    return MultiCheckboxField(label, choices=[SelectChoice(v, t) for v, t in spec.choices])


class DepartmentChoice(FlaskForm):
    """A form whose department is chosen from the register, or added there by its name.

    The page draws `department` as a select of the register (see the `department_field`
    macro); `new_department` takes a name that is not listed yet, and wins when both are
    given. The service then finds the department by key or name, or adds it.
    """

    new_department = line_field("Or add a new department", DEPARTMENT_MAX, required=False)

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate with a newly named department in place of the chosen one."""
        if self.new_department.data:
            self["department"].data = self.new_department.data
        return bool(super().validate(extra_validators))
