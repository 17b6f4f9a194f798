"""An uploaded SVG logo rebuilt from an allowlist, so no script or outside reference survives.

The file is parsed without a DTD, entities or network, then copied element by element into
a fresh document: drawing elements and presentation attributes are kept, editors' private
markup (Inkscape, Illustrator metadata) is dropped, and anything that could run or fetch
(a script, an event handler, a foreign object, an image, a link outside the file, url() to
anything but a fragment, @import, data: URIs) refuses the whole file with a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from workbench.exchange.xmltext import declares_doctype, safe_parser

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Drawing elements copied into the rebuilt file.
ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "symbol", "use", "path", "rect", "circle",
        "ellipse", "line", "polyline", "polygon", "text", "tspan", "linearGradient",
        "radialGradient", "stop", "clipPath", "mask", "style",
    }
)  # fmt: skip
# Elements that run, fetch or embed something: the file is refused, never quietly changed.
REFUSED = {
    "script": "a script",
    "foreignObject": "a foreign object (embedded web content)",
    "image": "an embedded image",
    "a": "a link",
    "iframe": "an embedded page",
    "embed": "an embedded object",
    "object": "an embedded object",
    "feImage": "a filter that loads an image",
    "animate": "an animation",
    "set": "an animation",
    "animateMotion": "an animation",
    "animateTransform": "an animation",
    "handler": "an event handler",
    "listener": "an event handler",
}
# Geometry and presentation attributes copied as they are (after the value checks below).
ATTRIBUTES = frozenset(
    {
        "id", "class", "style", "transform", "d", "x", "y", "x1", "y1", "x2", "y2", "cx",
        "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height", "viewBox",
        "preserveAspectRatio", "points", "pathLength", "fill", "fill-opacity", "fill-rule",
        "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "clip-path",
        "clip-rule", "clipPathUnits", "mask", "maskUnits", "maskContentUnits", "font-family",
        "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
        "text-anchor", "dominant-baseline", "baseline-shift", "letter-spacing",
        "word-spacing", "text-decoration", "writing-mode", "direction", "unicode-bidi", "dx",
        "dy", "rotate", "textLength", "lengthAdjust", "offset", "stop-color", "stop-opacity",
        "gradientUnits", "gradientTransform", "spreadMethod", "display", "visibility",
        "color", "overflow", "vector-effect", "shape-rendering", "text-rendering",
        "paint-order", "version", "type", "media",
    }
)  # fmt: skip
HREFS = frozenset({"href", f"{{{XLINK_NS}}}href"})

MAX_ELEMENTS = 5000
MAX_DEPTH = 40
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_FRAGMENT = re.compile(r"#[A-Za-z_][\w.\-]*")
_DANGEROUS = re.compile(r"javascript:|vbscript:|data:|@import|expression\s*\(|behavior\s*:", re.I)


_DOCTYPE = "The SVG declares a document type (which can hide entities); export it without one."


class SvgRefusedError(ValueError):
    """The SVG cannot be used as a logo; the message says why in plain words."""


@dataclass(frozen=True)
class CleanSvg:
    """A rebuilt SVG and the size its outermost element declares, in user units."""

    data: bytes
    width: float
    height: float


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _check_value(name: str, value: str) -> None:
    """Refuse a value that reaches outside the file or could run as script."""
    if _DANGEROUS.search(value):
        raise SvgRefusedError(
            "The SVG refers to a script, a data: address or an imported style sheet "
            f"(in “{name}”); a logo must draw everything itself."
        )
    for target in _URL.findall(value):
        if not _FRAGMENT.fullmatch(target):
            raise SvgRefusedError(
                f"The SVG points outside itself with url({target[:60]}) in “{name}”; "
                "only references to its own parts (#name) are allowed."
            )
    # A CSS escape can spell a forbidden word without its letters (u\72l for url).
    if name in {"style", "<style>"} and "\\" in value:
        raise SvgRefusedError("The SVG's styles contain escaped characters; save it plainly.")


def _attribute_name(name: str) -> str | None:
    """The name to keep an attribute under, or None to drop it (editors' private markup)."""
    if name in HREFS:
        return f"{{{XLINK_NS}}}href"
    if name == f"{{{XML_NS}}}space":
        return name
    return name if name in ATTRIBUTES else None


def _copy(source: etree._Element, depth: int, counter: list[int]) -> etree._Element | None:
    tag = _local(source.tag)
    if not isinstance(source.tag, str):
        return None
    if tag in REFUSED:
        raise SvgRefusedError(f"The SVG contains {REFUSED[tag]}; a logo cannot carry one.")
    namespace = etree.QName(source.tag).namespace
    if namespace != SVG_NS or tag not in ELEMENTS:
        return None  # an editor's own element (metadata, sodipodi:namedview): dropped
    counter[0] += 1
    if counter[0] > MAX_ELEMENTS or depth > MAX_DEPTH:
        raise SvgRefusedError(
            f"The SVG is too complex for a logo (more than {MAX_ELEMENTS:,} elements "
            f"or nested deeper than {MAX_DEPTH}); simplify it and try again."
        )
    for name in source.attrib:
        plain = _local(name)
        if plain.lower().startswith("on"):
            raise SvgRefusedError(
                f"The SVG has an event handler ({plain}); a logo cannot run script."
            )
    target = etree.Element(f"{{{SVG_NS}}}{tag}", nsmap={None: SVG_NS, "xlink": XLINK_NS})
    for name, value in source.attrib.items():
        kept = _attribute_name(str(name))
        if kept is None:
            continue
        if kept in HREFS and not _FRAGMENT.fullmatch(value.strip()):
            raise SvgRefusedError(
                f"The SVG links to “{value.strip()[:60]}”; a logo may only refer to its "
                "own parts (#name)."
            )
        _check_value(_local(name), value)
        target.set(kept, value)
    if tag == "style":
        _check_value("<style>", source.text or "")
    if source.text and tag in {"title", "desc", "text", "tspan", "style"}:
        target.text = source.text
    for child in source:
        copied = _copy(child, depth + 1, counter)
        if copied is not None:
            # Text between a text element's children belongs to the text; elsewhere it is
            # only the file's indentation.
            copied.tail = child.tail if tag in {"text", "tspan"} else None
            target.append(copied)
    return target


def _check_uses(root: etree._Element) -> None:
    """Refuse a <use> that points at nothing, or at something holding another <use>.

    Uses of uses multiply (ten uses of ten uses of ...), a way to make a small file take
    minutes to draw.
    """
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    for use in root.iter(f"{{{SVG_NS}}}use"):
        target = by_id.get((use.get(f"{{{XLINK_NS}}}href") or "").lstrip("#"))
        if target is None:
            raise SvgRefusedError("The SVG reuses a part it does not contain.")
        if any(True for _ in target.iter(f"{{{SVG_NS}}}use")):
            raise SvgRefusedError(
                "The SVG reuses a part that itself reuses parts; flatten the drawing."
            )


def _number(text: str | None) -> float | None:
    """A length in user units (plain or px), or None."""
    if text is None:
        return None
    cleaned = text.strip().removesuffix("px").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if 0 < value < 1e6 else None


def _size(root: etree._Element) -> tuple[float, float]:
    """The drawing's width and height from its viewBox, else its width and height."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        width, height = _number(box[2]), _number(box[3])
    else:
        width, height = _number(root.get("width")), _number(root.get("height"))
    if width is None or height is None:
        raise SvgRefusedError(
            "The SVG does not say how big it is; give its svg element a viewBox "
            "(or a width and a height in pixels)."
        )
    if max(width / height, height / width) > 20:
        raise SvgRefusedError("The SVG is more than twenty times wider than high (or higher).")
    return width, height


def clean_svg(raw: bytes) -> CleanSvg:
    """Return the SVG rebuilt from the allowlist, or raise SvgRefusedError saying why."""
    # Looked for before parsing: the parser stops at an entity bomb with a syntax error,
    # which would hide the reason. Dropping NUL bytes finds the markers in UTF-16 too.
    plain = raw.replace(b"\x00", b"").upper()
    if b"<!DOCTYPE" in plain or b"<!ENTITY" in plain:
        raise SvgRefusedError(_DOCTYPE)
    try:
        root = etree.fromstring(raw, parser=safe_parser())
    except etree.XMLSyntaxError:
        raise SvgRefusedError("The SVG file is not well-formed XML; export it again.") from None
    if declares_doctype(root):
        raise SvgRefusedError(_DOCTYPE)
    if etree.QName(root.tag).namespace != SVG_NS or _local(root.tag) != "svg":
        raise SvgRefusedError("The file is XML but not an SVG drawing.")
    rebuilt = _copy(root, 0, [0])
    if rebuilt is None:  # pragma: no cover - the root was checked above
        raise SvgRefusedError("The file is XML but not an SVG drawing.")
    _check_uses(rebuilt)
    # Each copied element declared its own namespaces; one declaration on the root is enough.
    etree.cleanup_namespaces(rebuilt, top_nsmap={None: SVG_NS, "xlink": XLINK_NS})
    width, height = _size(rebuilt)
    data = etree.tostring(rebuilt, xml_declaration=True, encoding="utf-8")
    return CleanSvg(data, width, height)
