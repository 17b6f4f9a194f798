"""Form building blocks shared by every blueprint: cleaned fields, and refusals shown on forms."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm as _FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from workbench.analysis.text import clean_text  # the one cleaning rule; views take it from here
from workbench.exchange.backup import ExchangeRefusedError
from workbench.services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from workbench.services.errors import ServiceError, StaleEditError
from workbench.web.unit_of_work import discard

_ID = re.compile(r"[0-9]{1,9}")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,189}\.[^@\s<>\"'.]{2,63}$")

LINE_MAX = 200
TEXT_MAX = 10000


class FlaskForm(_FlaskForm):
    """Flask-WTF's form; every form of the application derives from this one."""

    class Meta:
        def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
            """Write a hidden field without an id, so several forms on one page repeat no id."""
            # Each form has its token and often a version; nothing labels a hidden field.
            if isinstance(field, HiddenField):
                render_kw = {"id": False, **render_kw}
            # WTForms puts this Meta before Flask-WTF's and its own, which write the field.
            return super().render_field(field, render_kw)  # type: ignore[misc]


def line_field(
    label: str,
    max_length: int = LINE_MAX,
    required: bool = True,
    required_message: str | None = None,
    **kwargs: Any,
) -> StringField:
    """A single-line text field, cleaned and length-checked."""
    message = required_message or f"{label} is required."
    validators = [DataRequired(message=message)] if required else [Optional()]
    validators.append(
        Length(max=max_length, message=f"Keep the {label.lower()} under {max_length} characters.")
    )
    return StringField(label, validators=validators, filters=[clean_text], **kwargs)


def text_field(
    label: str, max_length: int = TEXT_MAX, required_message: str | None = None, **kwargs: Any
) -> TextAreaField:
    """A multi-line text field, cleaned and length-checked; optional unless a message is given."""
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=required_message) if required_message else Optional(),
            Length(
                max=max_length, message=f"Keep the {label.lower()} under {max_length:,} characters."
            ),
        ],
        filters=[clean_text],
        **kwargs,
    )


def validate_email_address(_form: Any, field: Any) -> None:
    """Refuse text that is not shaped like an email address."""
    if field.data and not _EMAIL.match(field.data):
        raise ValidationError("Enter an email address such as name@example.org.")


def email_field(label: str = "Email") -> StringField:
    """An email field, lower-cased and shape-checked."""
    return StringField(
        label,
        validators=[
            DataRequired(message="Enter an email address."),
            Length(max=254, message="Email addresses are limited to 254 characters."),
            validate_email_address,
        ],
        filters=[clean_text, lambda v: v.lower() if isinstance(v, str) else v],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


PASSWORD_RULES = (
    f"At least {MIN_PASSWORD_LENGTH} characters, at most {MAX_PASSWORD_LENGTH}. "
    "A few unrelated words make a strong one."
)


def password_field(
    label: str, autocomplete: str, same_as: str | None = None, *, new: bool = False
) -> PasswordField:
    """A password field with a generous upper bound, optionally repeating another field.

    A `new` password carries the rules of `accounts.check_password_rules` as its hint and
    as a validator, so every broken rule shows on the first submit (and the browser, seeing
    `minlength`, checks it before sending); a repeat field says what it is for.
    """
    validators: list[Any] = [
        DataRequired(message="Enter a password."),
        Length(
            max=MAX_PASSWORD_LENGTH,
            message=f"Passwords are limited to {MAX_PASSWORD_LENGTH} characters.",
        ),
    ]
    description = ""
    if new:
        message = f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters."
        validators.append(Length(min=MIN_PASSWORD_LENGTH, message=message))
        description = PASSWORD_RULES
    if same_as:
        validators.append(EqualTo(same_as, message="The two passwords differ."))
        description = "Type the same password again, to be sure of it."
    return PasswordField(
        label,
        validators=validators,
        description=description,
        render_kw={"autocomplete": autocomplete},
    )


def parse_id(raw: str | None) -> int | None:
    """Return a positive database id from text, or None unless it is 1-9 ASCII digits."""
    raw = (raw or "").strip()
    return int(raw) if _ID.fullmatch(raw) else None


def validate_version(_form: Any, field: Any) -> None:
    """Refuse a missing or malformed version: the form did not come from our page."""
    if parse_id(field.data) is None:
        raise ValidationError(
            "This form is missing the version it was loaded with. Reload the page and "
            "apply your changes again."
        )


class ChoiceField(SelectField):
    """A select that names the accepted values when given anything else."""

    def __init__(self, *args: Any, invalid_message: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form: Any) -> None:
        """Refuse a value that is not one of the choices, with a helpful message."""
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.invalid_message or "Choose one of the listed values.")


def choice_field(label: str, choices: list[tuple[str, str]], default: str) -> SelectField:
    """A select that accepts only its listed values, with a message that lists them."""
    names = ", ".join(text.lower() for _value, text in choices)
    message = f"Choose one of: {names}."
    return ChoiceField(
        label,
        choices=[SelectChoice(value, text) for value, text in choices],
        default=default,
        validators=[DataRequired(message=message)],
        invalid_message=message,
    )


class VersionedForm(FlaskForm):
    """A form that edits a versioned row: it carries the version it was loaded with."""

    version = HiddenField(validators=[validate_version])

    def loaded_version(self) -> int | None:
        """Return the posted version (validated as a small positive integer)."""
        return parse_id(self.version.data)


def refused(
    error: ServiceError | ExchangeRefusedError,
    form: FlaskForm | None = None,
    *also: type[ServiceError],
) -> int:
    """Discard the request's partial work, show a service's refusal on the form; its status.

    Every form view answers a ServiceError through here, the same way. A refusal of what was
    typed (a plain 400) goes beside its field, or to the top of the form; without a form the
    caller shows `error.message` itself. Anything else (not found, not allowed, changed
    meanwhile) is not about the form and goes on to the error handlers, unless the view names
    its class in `also` because its page explains it better (an expired join code, say).
    """
    if isinstance(error, ExchangeRefusedError):
        # A file refused with its problems listed: the caller shows `error.problems`.
        discard()
        return 400
    if error.status_code != 400 and not isinstance(error, also):
        if isinstance(error, StaleEditError) and form is not None:
            error.form = form  # the conflict page draws each field's own control
        raise error
    # What the service wrote before refusing must not reach the commit at the boundary.
    discard()
    if form is not None:
        attach_service_error(form, error.message, error.field)
    return error.status_code


def attach_service_error(form: FlaskForm, message: str, field: str | None) -> None:
    """Show a service's refusal beside the field it concerns, or at the top of the form."""
    target = getattr(form, field, None) if field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


class ConfirmForm(FlaskForm):
    """A bare form for confirmed actions (delete, revoke, log out): CSRF only."""


__all__ = [
    "ConfirmForm",
    "FlaskForm",
    "IntegerField",
    "VersionedForm",
    "attach_service_error",
    "choice_field",
    "clean_text",
    "email_field",
    "line_field",
    "password_field",
    "refused",
    "text_field",
]
