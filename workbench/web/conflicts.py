"""The conflict page of a stale save: only the real conflicts, each with B's choice.

A save merged three ways (workbench.services.concurrency) reaches here only when some
fields were changed both by this person and by someone else. The page posts the whole
form back to the same address: every field outside the conflict carries its merged value
(the colleague's where only they changed it), and each conflicting field a choice, "keep
mine" (the real control, editable) or "keep theirs" (the stored value, carried hidden).
`resolve_choices` turns those choices into plain form fields before the view reads them,
so the edit views need no code of their own and the page works without JavaScript.
Posted with the version the page was drawn at, a third person's save in between is merged
the same way again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import request
from markupsafe import Markup, escape
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from wtforms import PasswordField

from workbench.analysis.dates import format_date
from workbench.analysis.measures import format_measure
from workbench.extensions import db
from workbench.services.currency import workspace_currency
from workbench.services.errors import StaleEditError
from workbench.services.tenancy import current_scope

CHOICE_PREFIX = "merge-choice-"
THEIRS_PREFIX = "merge-theirs-"
# Posted fields the page sets itself.
OWN_FIELDS = frozenset({"csrf_token", "version"})


@dataclass(frozen=True)
class ConflictRow:
    """One conflicting field as the page shows it."""

    name: str
    label: str
    stored_text: str
    control: Markup
    theirs_values: tuple[str, ...]
    changed_by: str | None
    changed_at: datetime | None


def form_values(value: Any) -> tuple[str, ...]:
    """Return a value as a form posts it (a false checkbox posts nothing)."""
    if value is None:
        return ("",)
    if isinstance(value, bool):
        return ("y",) if value else ()
    if isinstance(value, list | tuple | set | frozenset):
        # A set of ticked boxes posts one value per box.
        return tuple(text for item in value for text in form_values(item))
    if isinstance(value, Enum):
        return (str(value.value),)
    if isinstance(value, datetime | date):
        return (value.isoformat(),)
    if isinstance(value, Decimal):
        return (format(value, "f"),)
    return (str(value),)


def _choices(field: Any) -> dict[str, str]:
    # A field's choices as value -> label, whichever form they were given in.
    labels = {}
    for choice in getattr(field, "choices", None) or []:
        if isinstance(choice, tuple | list):
            labels[str(choice[0])] = str(choice[1])
        elif hasattr(choice, "value"):
            labels[str(choice.value)] = str(getattr(choice, "label", choice.value))
        else:
            labels[str(choice)] = str(choice)
    return labels


def _money(amount: Decimal, currency: str) -> str:
    # Pence only where there are any: GBP 52,000 but GBP 52,000.50.
    whole = amount == amount.to_integral_value()
    return f"{currency} {amount:,.0f}" if whole else f"{currency} {amount:,.2f}"


def readable(value: Any, currency: str) -> str | None:
    """A stored value as a reader writes it (money, dates, large numbers); None otherwise.

    Money is the only Decimal the workbench stores (budgets and spend), kept in the
    workspace's currency.
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal) and value.is_finite():
        return _money(value, currency).strip()
    if isinstance(value, datetime):
        return f"{format_date(value.date())} at {value:%H:%M} UTC"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int | float) and math.isfinite(value):
        return format_measure(value, None)
    return None


def currency_for(values: Iterable[Any]) -> str:
    """The workspace's currency when any value is money (one query), else nothing."""
    if not any(isinstance(value, Decimal) for value in values):
        return ""
    session = db.session()
    # Outside a workspace (never expected for money) the amount is shown without a code.
    return workspace_currency(session) if current_scope(session) is not None else ""


def stored_texts(error: StaleEditError) -> dict[str, str]:
    """The stored values of a refused save as a reader writes them, by field name."""
    currency = currency_for(error.stored.values())
    found = {name: readable(value, currency) for name, value in error.stored.items()}
    return {name: text for name, text in found.items() if text is not None}


def _shown(texts: tuple[str, ...], field: Any) -> str:
    # A select shows the label of the stored choice, as its control would.
    labels = _choices(field)
    return ", ".join(labels.get(text, text) for text in texts) if texts else "none"


def _fallback_control(name: str, mine: Any, stored: Any) -> Markup:
    # Without the view's form, a control fitting the value's type: never free text for a
    # choice from a list.
    ident = f"conflict-{name}"
    named = f'id="{ident}" name="{escape(name)}"'
    sample = mine if mine is not None else stored
    text = form_values(mine)[0] if form_values(mine) else ""
    if isinstance(sample, Enum):
        options = "".join(
            f'<option value="{escape(member.value)}"'
            f"{' selected' if member is mine else ''}>{escape(member.value)}</option>"
            for member in type(sample)
        )
        return Markup(f"<select {named}>{options}</select>")
    kind = "text"
    if isinstance(sample, bool):
        checked = " checked" if mine else ""
        return Markup(f'<input type="checkbox" {named} value="y"{checked}>')
    if isinstance(sample, date):
        kind = "date"
    elif isinstance(sample, int | float | Decimal):
        kind = "number"
    if kind == "text":
        return Markup(f'<textarea {named} rows="2" dir="auto">{escape(text)}</textarea>')
    step = ' step="any"' if kind == "number" else ""
    return Markup(f'<input type="{kind}" {named} value="{escape(text)}"{step}>')


def _form_name(form: Any, name: str) -> str:
    # A service names a link by its column (parent_id); the form posts it as `parent`.
    if form is None or name in form:
        return name
    short = name.removesuffix("_id")
    return short if short in form else name


def _field_values(field: Any, value: Any) -> tuple[str, ...]:
    # A list whose "nothing" is a choice of its own posts that choice for no value.
    if value is None and field is not None and "none" in _choices(field):
        return ("none",)
    return form_values(value)


def conflict_rows(error: StaleEditError) -> list[ConflictRow]:
    """Return the conflicting fields with both values and the control for B's own value."""
    form = error.form
    rows = []
    currency = currency_for(conflict.stored for conflict in error.conflicts or ())
    for conflict in error.conflicts or ():
        name = _form_name(form, conflict.name)
        field = form[name] if form is not None and name in form else None
        if field is not None:
            control = Markup(field(id=f"conflict-{name}"))
            label = str(field.label.text)
        else:
            control = _fallback_control(name, conflict.mine, conflict.stored)
            label = name.replace("_", " ").capitalize()
        theirs = _field_values(field, conflict.stored)
        rows.append(
            ConflictRow(
                name,
                label,
                # A choice reads as its label; money, dates and numbers as people write them.
                (None if _choices(field) else readable(conflict.stored, currency))
                or _shown(theirs, field),
                control,
                theirs,
                conflict.changed_by,
                conflict.changed_at,
            )
        )
    return rows


def carried_fields(error: StaleEditError) -> list[tuple[str, str]]:
    """Return the hidden (name, value) pairs that carry every field outside the conflict.

    A field this save changed keeps the submitted value, one only others changed keeps
    the stored value: resubmitted at the stored version, neither undoes the other.
    """
    form = error.form
    conflicting = {_form_name(form, name) for name in error.conflict_names()}
    merged: dict[str, tuple[str, ...]] = {}
    for name, value in error.merged.items():
        posted_name = _form_name(form, name)
        field = form[posted_name] if form is not None and posted_name in form else None
        merged[posted_name] = _field_values(field, value)
    pairs: list[tuple[str, str]] = []
    posted = request.form
    for name in dict.fromkeys(posted.keys()):
        if name in OWN_FIELDS or name in conflicting or name.startswith("merge-"):
            continue
        if form is not None and name in form and isinstance(form[name], PasswordField):
            continue  # a secret (a feed's database address) is never written into a page
        values = merged[name] if name in merged else tuple(posted.getlist(name))
        pairs += [(name, value) for value in values]
    # A checkbox now ticked by someone else was not posted at all: carry it too.
    for name, values in merged.items():
        if name not in posted and name not in conflicting:
            pairs += [(name, value) for value in values]
    return pairs


def resolve_choices() -> None:
    """Turn the conflict page's per-field choices into plain form fields (a request hook)."""
    # Only the page's own plain form is read here: a JSON or multipart body is left to its
    # view, unparsed (the API sets its own size limit first).
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return
    if not any(key.startswith(CHOICE_PREFIX) for key in request.form):
        return
    resolved: MultiDict[str, str] = MultiDict()
    posted = request.form
    theirs = {
        key[len(CHOICE_PREFIX) :]
        for key in posted
        if key.startswith(CHOICE_PREFIX) and posted.get(key) == "theirs"
    }
    for key in dict.fromkeys(posted.keys()):
        if key.startswith(("merge-",)) or key in theirs:
            continue
        resolved.setlist(key, posted.getlist(key))
    for name in theirs:
        values = posted.getlist(THEIRS_PREFIX + name)
        if values:
            resolved.setlist(name, values)
    # The request's form is a cached property: the views and Flask-WTF read this one.
    request.form = ImmutableMultiDict(resolved)
