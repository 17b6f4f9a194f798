"""Text and number helpers shared by the XML writers: only characters XML 1.0 allows."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

from workbench.analysis.text import clean_text

# XML 1.0 forbids most C0 controls, lone surrogates and the two non-characters U+FFFE/U+FFFF;
# lxml refuses them outright. clean_text drops every control character (as on the way in);
# the rest are removed here before any text reaches an element.
_FORBIDDEN = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Return the value as text that every XML 1.0 processor accepts, with no controls."""
    if value is None:
        return ""
    return _FORBIDDEN.sub("", clean_text(str(value), trim=False))


def one_line(value: object) -> str:
    """Return the value as XML-safe text on a single line with single spaces."""
    return " ".join(xml_text(value).split())


def decimal_text(value: float | Decimal | str | None) -> str | None:
    """Return a number as an xsd:decimal literal (no exponent), or None when not finite."""
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    if not number.is_finite():
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    text = format(number.normalize(), "f")
    return text if text not in {"-0", ""} else "0"


def date_text(value: date | None) -> str | None:
    """Return an ISO date, or None."""
    return value.isoformat() if value is not None else None


def lines(text: str) -> list[str]:
    """Return the non-empty lines of a text, without list bullets."""
    return [one_line(line.strip(" -*•\t")) for line in text.splitlines() if line.strip(" -*•\t")]
