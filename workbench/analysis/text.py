"""Cleaning of typed, posted and imported text: one rule for forms, the API and every import."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, overload

# C0/C1 control characters except tab and line feed (carriage returns are turned into line
# feeds first); PostgreSQL refuses NUL outright and the rest only ever arrive by accident.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@overload
def clean_text(value: str, *, trim: bool = True) -> str: ...


@overload
def clean_text(value: Any, *, trim: bool = True) -> Any: ...


def clean_text(value: Any, *, trim: bool = True) -> Any:
    """Normalise text: Unix line endings, no control characters, NFC, surrounding space trimmed.

    Anything that is not a string (a form field left out, a number) is returned unchanged,
    so the function can serve as a WTForms filter as it is. `trim=False` keeps surrounding
    space: the exchange formats carry rows exactly as stored, and rows imported before
    trimming may start with a tab, so an unchanged file must read back unchanged.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    # Controls go before composing, so that removing one cannot leave an uncomposed pair.
    value = unicodedata.normalize("NFC", _CONTROL.sub("", value))
    return value.strip() if trim else value


# Department names teams type as acronyms; shown in capitals whatever case they were typed in.
DEPARTMENT_ACRONYMS = frozenset(
    {"it", "hr", "cx", "ux", "qa", "pr", "r&d", "crm", "csm", "ops", "bi", "ai", "ceo", "cfo"}
)
# Short keys whose usual name is more than their letters in capitals.
KNOWN_DEPARTMENTS = {
    "it": "IT",
    "hr": "Human resources",
    "cs": "Customer service",
    "cx": "Customer experience",
    "qa": "Quality assurance",
    "pr": "Public relations",
    "r&d": "Research and development",
    "ops": "Operations",
    "service": "Customer service",
}
NO_DEPARTMENT = "No department"


def default_department_name(key: str | None) -> str:
    """Return the display name a department key starts with, before anyone renames it.

    Known keys get their usual name ("it" gives "IT", "hr" "Human resources"); other
    lowercase keys are capitalised with acronyms in capitals ("customer_service" gives
    "Customer service", "it support" "IT support"); a name typed with any capital letter
    ("eCommerce", "Front Office") is the team's own spelling and is kept. A blank key reads
    "No department".
    """
    text = " ".join((key or "").replace("_", " ").split())
    if not text:
        return NO_DEPARTMENT
    if text.casefold() in KNOWN_DEPARTMENTS:
        return KNOWN_DEPARTMENTS[text.casefold()]
    if text != text.lower():
        return text
    words = text.split()
    shown = [w.upper() if w in DEPARTMENT_ACRONYMS else w for w in words]
    first = shown[0]
    shown[0] = first[:1].upper() + first[1:]
    return " ".join(shown)


def department_slug(name: str) -> str:
    """Return a key made from a department's name: lowercase words joined by hyphens."""
    return re.sub(r"[^\w&]+|_+", "-", name.casefold()).strip("-")[:80]
