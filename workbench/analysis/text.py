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
NO_DEPARTMENT = "No department"


def department_label(name: str | None) -> str:
    """Return a department's display name: acronyms in capitals, a lowercase key capitalised.

    "it" gives "IT", "customer_service" gives "Customer service", "it support" gives
    "IT support"; a name typed with any capital letter ("eCommerce", "Front Office") is the
    team's own spelling and is kept. A blank name reads "No department".
    """
    text = (name or "").strip()
    if not text:
        return NO_DEPARTMENT
    if text != text.lower():
        return text
    words = text.replace("_", " ").split()
    shown = [w.upper() if w in DEPARTMENT_ACRONYMS else w for w in words]
    first = shown[0]
    shown[0] = first[:1].upper() + first[1:]
    return " ".join(shown)
