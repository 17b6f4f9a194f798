"""The logo check: PNG remade from its pixels, SVG rebuilt from an allowlist, the rest refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin

from workbench.exchange.logo import MAX_BYTES, LogoRefusedError, clean_logo

SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def png_bytes(size: tuple[int, int] = (40, 20), **info: str) -> bytes:
    """A small PNG, with text chunks when asked."""
    image = Image.new("RGBA", size, (15, 92, 99, 255))
    meta = PngImagePlugin.PngInfo()
    for key, value in info.items():
        meta.add_text(key, value)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=meta)
    return out.getvalue()


def svg(body: str, attributes: str = 'viewBox="0 0 100 40"') -> bytes:
    return f"{SVG_HEAD} {attributes}>{body}</svg>".encode()


def refused(raw: bytes) -> str:
    with pytest.raises(LogoRefusedError) as error:
        clean_logo(raw)
    return str(error.value)


def test_a_png_is_remade_without_its_chunks_or_trailing_data() -> None:
    raw = png_bytes(Comment="<script>alert(1)</script>", Author="file:///etc/passwd")
    # A second file appended after the image's end: a polyglot a careless reader might serve.
    raw += b"<html><script>alert(2)</script></html>PK\x03\x04"
    logo = clean_logo(raw)
    assert logo.kind == "png" and logo.media_type == "image/png"
    assert logo.data.startswith(b"\x89PNG") and logo.png == logo.data
    for leftover in (b"tEXt", b"iTXt", b"zTXt", b"script", b"passwd", b"<html>", b"PK\x03\x04"):
        assert leftover not in logo.data
    with Image.open(io.BytesIO(logo.data)) as image:
        assert image.size == (40, 20) and not image.text


def test_a_large_png_is_scaled_down_and_a_huge_one_refused_before_decoding() -> None:
    logo = clean_logo(png_bytes((2000, 500)))
    assert (logo.width, logo.height) == (1024, 256)
    # A header declaring 100,000 x 100,000 pixels: refused from the header alone.
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + header
    bomb = (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    )
    message = refused(bomb + b"\x00" * 100)
    assert "100,000 by 100,000 pixels" in message and "4,096" in message


def test_damaged_pngs_are_refused() -> None:
    raw = png_bytes()
    assert "damaged" in refused(raw[:40])
    assert "damaged" in refused(b"\x89PNG\r\n\x1a\n")


def test_size_limit_and_empty_file() -> None:
    assert "empty" in refused(b"")
    big = png_bytes() + b"\x00" * MAX_BYTES
    assert "at most 512 KB" in refused(big)


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"GIF87a\x01\x00\x01\x00", "GIF"),
        (b"%PDF-1.7\n", "PDF"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"),
        (b"PK\x03\x04logo.png", "ZIP"),
        (b"plain text that calls itself logo.png", "neither a PNG nor an SVG"),
        (b"<html><body>hi</body></html>", "neither a PNG nor an SVG"),
        (b'=HYPERLINK("http://example.com")', "neither a PNG nor an SVG"),
    ],
)
def test_other_formats_are_refused_by_content(raw: bytes, named: str) -> None:
    assert named in refused(raw)


def test_a_clean_svg_keeps_its_drawing_and_loses_editor_markup() -> None:
    raw = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n'
        f'{SVG_HEAD} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'viewBox="0 0 120 40" inkscape:version="1.3">'
        "<metadata><rdf>anything</rdf></metadata>"
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient>'
        '<g id="mark"><circle cx="20" cy="20" r="18"/></g></defs>'
        '<rect width="120" height="40" fill="url(#g)" style="stroke: url(#g)"/>'
        '<use xlink:href="#mark"/><use href="#mark" x="40"/>'
        '<text x="60" y="26" font-size="12">مرحبا 港口 🚢 &amp; co</text></svg>'
    ).encode()
    logo = clean_logo(raw)
    text = logo.data.decode()
    assert logo.kind == "svg" and logo.media_type == "image/svg+xml"
    assert "inkscape" not in text and "metadata" not in text and "made by hand" not in text
    assert 'fill="url(#g)"' in text and "مرحبا 港口 🚢 &amp; co" in text
    assert text.count('xlink:href="#mark"') == 2
    # The rendition is a PNG, 1,024 pixels on its longer side.
    assert logo.png.startswith(b"\x89PNG") and (logo.width, logo.height) == (1024, 341)


@pytest.mark.parametrize(
    ("body", "attributes", "expected"),
    [
        ("<script>alert(1)</script>", "", "script"),
        ('<script xlink:href="http://evil.example/x.js"/>', "", "script"),
        ("", 'onload="alert(1)"', "event handler (onload)"),
        ('<rect width="1" height="1" onclick="alert(1)"/>', "", "event handler (onclick)"),
        (
            '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>',
            "",
            "foreign object",
        ),
        ('<image href="http://evil.example/x.png" width="1" height="1"/>', "", "embedded image"),
        ('<image href="data:image/png;base64,AAAA" width="1" height="1"/>', "", "embedded image"),
        ('<use xlink:href="http://evil.example/sprite.svg#a"/>', "", "http://evil.example"),
        ('<use xlink:href="file:///etc/passwd#a"/>', "", "file:///etc/passwd"),
        ('<use href="sprite.svg#a"/>', "", "sprite.svg"),
        (
            '<rect width="1" height="1" style="fill: url(http://evil.example/x)"/>',
            "",
            "url(http://evil.example/x)",
        ),
        (
            '<rect width="1" height="1" fill="url(\'file:///etc/passwd\')"/>',
            "",
            "file:///etc/passwd",
        ),
        ("<style>@import url(http://evil.example/x.css);</style>", "", "imported style sheet"),
        (
            "<style>rect { fill: url(https://evil.example/p) }</style>",
            "",
            "url(https://evil.example/p)",
        ),
        ('<rect width="1" height="1" style="fill: u\\72l(http://e.example)"/>', "", "escaped"),
        ('<rect width="1" height="1" fill="url(data:image/png;base64,AA)"/>', "", "data:"),
        ('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>', "", "a link"),
        ('<set attributeName="href" to="javascript:alert(1)"/>', "", "animation"),
        ('<use xlink:href="#nowhere"/>', "", "does not contain"),
    ],
)
def test_hostile_svgs_are_refused(body: str, attributes: str, expected: str) -> None:
    message = refused(svg(body, f'viewBox="0 0 10 10" {attributes}'))
    assert expected in message


def test_entity_expansion_is_refused_without_expanding() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f']>{SVG_HEAD} viewBox="0 0 1 1"><text>&j;</text></svg>'
    )
    assert "document type" in refused(laughs.encode())
    external = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'{SVG_HEAD} viewBox="0 0 1 1"><text>&x;</text></svg>'
    )
    assert "document type" in refused(external.encode())


def test_nested_reuse_and_oversized_drawings_are_refused() -> None:
    layers = '<g id="l0"><rect width="1" height="1"/></g>' + "".join(
        f'<g id="l{i}">' + f'<use xlink:href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 8)
    )
    assert "reuses a part that itself reuses" in refused(svg(f"<defs>{layers}</defs>"))
    many = '<rect width="1" height="1"/>' * 6000
    assert "too complex" in refused(svg(many))
    assert "how big" in refused(svg('<rect width="1" height="1"/>', ""))
    assert "twenty times" in refused(svg("", 'viewBox="0 0 1000 10"'))


def test_malformed_and_foreign_xml_are_refused() -> None:
    assert "not well-formed" in refused(b"<svg><rect></svg>")
    assert "not an SVG" in refused(
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>'
    )
    assert "not an SVG" in refused(b"<svg viewBox='0 0 1 1'/>")  # no SVG namespace


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "I;16"])
def test_every_png_colour_mode_is_remade_as_rgba(mode: str) -> None:
    image = Image.new(mode, (20, 10))
    out = io.BytesIO()
    image.save(out, format="PNG")
    with Image.open(io.BytesIO(clean_logo(out.getvalue()).data)) as remade:
        assert remade.mode == "RGBA" and remade.size == (20, 10)


def test_an_animated_png_keeps_only_its_first_frame() -> None:
    frames = [Image.new("RGBA", (10, 10), (i * 60, 0, 0, 255)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:])
    assert b"acTL" in out.getvalue()
    data = clean_logo(out.getvalue()).data
    assert b"acTL" not in data and b"fcTL" not in data
