"""A QR code as inline SVG, for an authenticator app to read from the screen."""

from __future__ import annotations

import segno


def qr_svg(data: str, title: str, scale: int = 5) -> str:
    """Return an inline SVG QR code of `data`, dark on white whatever the page's colours."""
    # Error correction M: a screen photographed at an angle still reads.
    code = segno.make(data, error="m")
    svg = code.svg_inline(
        scale=scale, border=4, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )
    # An image to assistive technology, named by its title.
    return svg.replace("<svg ", '<svg role="img" ', 1)
