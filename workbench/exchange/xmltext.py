"""Text and number helpers shared by the XML writers and readers: only characters XML 1.0
allows, and the one parser and DOCTYPE check every reader of uploaded XML uses."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from typing import IO

from lxml import etree

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


# How much of an XML part is fed to the parser at a time while looking for its root element.
_CHUNK = 64 * 1024
# The markers of a DTD in the encodings an XML part may use; looked for only in a part the
# parser could not read, so a declaration hidden behind a syntax error is still refused.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def safe_parser() -> etree.XMLParser:
    """Return a parser that loads no DTD, resolves no entity and never touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def declares_doctype(root: etree._Element) -> bool:
    """Return whether the document of a parsed element declares a DOCTYPE (and so entities)."""
    docinfo = root.getroottree().docinfo
    return bool(docinfo.doctype) or (
        docinfo.internalDTD is not None or docinfo.externalDTD is not None
    )


def part_declares_doctype(stream: IO[bytes]) -> bool:
    """Return whether an XML part declares a DOCTYPE, reading only up to its root element.

    A DOCTYPE can only come before the root element, so parsing stops there; a part that is
    not XML at all (an image) is refused only if it holds a DTD marker.
    """
    parser = etree.XMLPullParser(
        events=("start",),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )
    found = False
    parsing = True
    tail = b""
    while chunk := stream.read(_CHUNK):
        # The previous chunk's end is kept, so a marker cut in two is still found.
        found = found or any(marker in tail + chunk for marker in _DTD_MARKERS)
        tail = chunk[-32:]
        if not parsing:
            continue
        try:
            parser.feed(chunk)
            for _event, element in parser.read_events():
                return declares_doctype(element)
        except etree.XMLSyntaxError:
            parsing = False
    return found
