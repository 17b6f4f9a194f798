"""An organisation's logo checked and remade before it is stored: PNG or SVG, known by content.

A PNG is decoded with Pillow only after its declared size is checked (a small file can
declare a picture of billions of pixels), then copied into a fresh image and written anew,
so no text chunk, profile, trailing data or second file survives. An SVG is rebuilt from an
allowlist (workbench.exchange.logo_svg). Either way a PNG rendition is kept for formats that
accept only raster images (the slide deck).
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import cairosvg
from PIL import Image

from workbench.exchange.logo_svg import SvgRefusedError, clean_svg

MAX_BYTES = 512 * 1024
# The largest picture decoded at all, and the size a stored rendition is scaled down to.
MAX_SIDE = 4096
RENDITION_SIDE = 1024

_PNG = b"\x89PNG\r\n\x1a\n"
# Formats people often try, named in the refusal so they know what to export instead.
_OTHER_FORMATS = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
)


class LogoRefusedError(ValueError):
    """The file cannot be used as a logo; the message says why in plain words."""


@dataclass(frozen=True)
class CleanLogo:
    """A logo ready to store: the remade file, its kind and a PNG rendition with its size."""

    kind: str  # "png" or "svg"
    data: bytes
    png: bytes
    width: int
    height: int

    @property
    def media_type(self) -> str:
        """The file's media type."""
        return "image/svg+xml" if self.kind == "svg" else "image/png"


def _kind(raw: bytes) -> str:
    if raw.startswith(_PNG):
        return "png"
    for signature, name in _OTHER_FORMATS:
        if raw.startswith(signature):
            raise LogoRefusedError(f"The file is {name}. Upload the logo as a PNG or an SVG file.")
    if raw[8:12] == b"WEBP" and raw.startswith(b"RIFF"):
        raise LogoRefusedError("The file is a WebP image. Upload the logo as a PNG or an SVG file.")
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")):
        return "svg"
    raise LogoRefusedError(
        "The file is neither a PNG nor an SVG image (whatever its name says). "
        "Upload the logo as a PNG or an SVG file."
    )


def _declared_size(raw: bytes) -> tuple[int, int]:
    """Width and height from the PNG's header chunk, read before anything is decoded."""
    if len(raw) < 24 or raw[12:16] != b"IHDR":
        raise LogoRefusedError("The PNG file is damaged: its header is missing.")
    width, height = struct.unpack(">II", raw[16:24])
    if width == 0 or height == 0:
        raise LogoRefusedError("The PNG file declares an empty picture.")
    return width, height


def _fitted(width: float, height: float, side: int, grow: bool = False) -> tuple[int, int]:
    # A picture is only ever shrunk; a drawing is drawn at the full size.
    scale = side / max(width, height) if grow else min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _clean_png(raw: bytes) -> CleanLogo:
    width, height = _declared_size(raw)
    if width > MAX_SIDE or height > MAX_SIDE:
        raise LogoRefusedError(
            f"The picture is {width:,} by {height:,} pixels; keep it within "
            f"{MAX_SIDE:,} by {MAX_SIDE:,}."
        )
    try:
        with Image.open(io.BytesIO(raw), formats=["PNG"]) as image:
            image.load()
            pixels = image.convert("RGBA")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise LogoRefusedError("The PNG file is damaged and cannot be read.") from None
    # A fresh image from the pixels alone: no chunk, profile or note of the upload remains.
    fresh = Image.frombytes("RGBA", pixels.size, pixels.tobytes())
    if max(fresh.size) > RENDITION_SIDE:
        fresh = fresh.resize(_fitted(*fresh.size, RENDITION_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    fresh.save(out, format="PNG", optimize=True)
    data = out.getvalue()
    return CleanLogo("png", data, data, fresh.size[0], fresh.size[1])


def _clean_svg(raw: bytes) -> CleanLogo:
    try:
        svg = clean_svg(raw)
    except SvgRefusedError as error:
        raise LogoRefusedError(str(error)) from None
    width, height = _fitted(svg.width, svg.height, RENDITION_SIDE, grow=True)
    # The rendition is drawn from the rebuilt file, which refers to nothing outside itself;
    # cairosvg's safe mode (the default) would refuse files and entities anyway.
    try:
        png = cairosvg.svg2png(bytestring=svg.data, output_width=width, output_height=height)
    except Exception:  # any failure to draw is the file's, and reported as such
        raise LogoRefusedError("The SVG could not be drawn; export it again.") from None
    if not isinstance(png, bytes):  # pragma: no cover - svg2png returns bytes without a target
        raise LogoRefusedError("The SVG could not be drawn; export it again.")
    return CleanLogo("svg", svg.data, png, width, height)


def clean_logo(raw: bytes) -> CleanLogo:
    """Return the logo remade for storing, or raise LogoRefusedError saying why."""
    if not raw:
        raise LogoRefusedError("The file is empty. Choose the logo's PNG or SVG file.")
    if len(raw) > MAX_BYTES:
        raise LogoRefusedError(
            f"The file is {len(raw) / 1024:,.0f} KB; a logo may be at most {MAX_BYTES // 1024} KB."
        )
    if _kind(raw) == "png":
        return _clean_png(raw)
    return _clean_svg(raw)
