"""Storyboard branding: the facilitator's logo and accent colour, their refusals and conflicts."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from PIL import Image, PngImagePlugin
from sqlalchemy import select

from tests.conftest import form_version, login
from workbench.extensions import db
from workbench.models import Branding, Change
from workbench.services.tenancy import scope_session

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">'
    b'<rect width="40" height="40" fill="#7A1F5C"/><text x="48" y="26">Harbour</text></svg>'
)


def png_bytes(size: tuple[int, int] = (60, 30), note: str = "") -> bytes:
    """A small PNG, with a text chunk when a note is given."""
    image = Image.new("RGB", size, (122, 31, 92))
    meta = PngImagePlugin.PngInfo()
    if note:
        meta.add_text("Comment", note)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=meta)
    return out.getvalue()


def base(wid: int) -> str:
    return f"/workspaces/{wid}/settings/branding"


def upload(client: FlaskClient, wid: int, raw: bytes, name: str, version: str) -> Any:
    """Post a logo file as the settings page does."""
    return client.post(
        f"{base(wid)}/logo",
        data={"version": version, "logo": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


def stored(app: Flask, wid: int) -> Branding | None:
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(Branding)).first()
        if row is not None:
            db.session.expunge(row)
        return row


def version_of(client: FlaskClient, wid: int) -> str:
    return form_version(client.get(f"{base(wid)}/").get_data(as_text=True))


def test_a_facilitator_sets_a_logo_and_an_accent_and_the_trail_records_them(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    settings = client.get(f"/workspaces/{wid}/settings").get_data(as_text=True)
    assert "Storyboard branding" in settings and "No logo yet." in settings
    assert form_version(client.get(f"{base(wid)}/").get_data(as_text=True)) == "0"
    # A file name in Cyrillic, Chinese and emoji is only a name: the content decides.
    saved = upload(client, wid, SVG, "логотип 港口 🚢.svg", "0")
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/settings#branding")
    page = client.get(f"/workspaces/{wid}/settings").get_data(as_text=True)
    assert "data:image/svg+xml;base64," in page and "an SVG drawing" in page
    version = version_of(client, wid)
    answer = client.post(f"{base(wid)}/accent", data={"version": version, "accent": "#7a1f5c"})
    assert answer.status_code == 303
    row = stored(app, wid)
    assert row is not None and row.accent == "#7A1F5C" and row.logo_kind == "svg"
    page = client.get(f"/workspaces/{wid}/settings").get_data(as_text=True)
    assert "Now in use: #7A1F5C." in page
    # The web preview shows the logo on the cover; its page policy admits data: images only.
    preview = client.get(f"/workspaces/{wid}/storyboard/preview")
    html = preview.get_data(as_text=True)
    assert '<div class="cover-logo"><img src="data:image/svg+xml;base64,' in html
    assert "img-src data:" in preview.headers["Content-Security-Policy"]
    # A PNG replaces the drawing; the trail names each logo by its digest, never its bytes.
    version = version_of(client, wid)
    assert upload(client, wid, png_bytes(), "logo.PNG", version).status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        changes = db.session.scalars(select(Change).where(Change.entity == "Branding")).all()
        fields = {c.field for c in changes if c.action == "update"}
        assert {"accent", "logo_kind", "logo_sha256", "logo_bytes"} <= fields
        assert all(len(c.new_value or "") <= 64 for c in changes if c.action == "update")
        assert not any("logo_png" in (c.details or {}) for c in changes)


def test_refused_files_change_nothing_and_say_why(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    assert upload(client, wid, png_bytes(), "first.png", "0").status_code == 303
    before = stored(app, wid)
    assert before is not None
    version = version_of(client, wid)
    cases = [
        (b"", "empty.png", "The file is empty."),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "photo.png", "The file is a JPEG image."),
        (b"GIF89a\x01\x00\x01\x00\x00\x00", "anim.svg", "The file is a GIF image."),
        (png_bytes() + b"\x00" * (600 * 1024), "big.png", "a logo may be at most 512 KB"),
        (b"<html><script>alert(1)</script></html>", "page.png", "neither a PNG nor an SVG"),
        (b'=HYPERLINK("http://example.com","x")', "formula.svg", "neither a PNG nor an SVG"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">'
            b"<script>alert(1)</script></svg>",
            "hostile.svg",
            "The SVG contains a script",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            b' viewBox="0 0 1 1"><use xlink:href="file:///etc/passwd#x"/></svg>',
            "مرحبا.svg",
            "file:///etc/passwd",
        ),
    ]
    for raw, name, message in cases:
        answer = upload(client, wid, raw, name, version)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 400, (name, page[:300])
        assert str(escape(message)) in page, (name, message)
        assert "<script>alert" not in page
    missing = client.post(
        f"{base(wid)}/logo", data={"version": version}, content_type="multipart/form-data"
    )
    assert missing.status_code == 400 and "Choose the logo" in missing.get_data(as_text=True)
    after = stored(app, wid)
    assert after is not None
    assert (after.logo_sha256, after.version) == (before.logo_sha256, before.version)


def test_an_accent_that_reads_badly_or_is_not_a_colour_is_refused(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    weak = client.post(f"{base(wid)}/accent", data={"version": "0", "accent": "#FFCC00"})
    text = weak.get_data(as_text=True)
    assert weak.status_code == 400
    assert "#FFCC00 against white reaches only 1.51:1" in text and "#907300" in text
    for value in (
        "<script>alert(1)</script>",
        '=HYPERLINK("http://example.com")',
        "file:///etc/passwd",
        "red",
        "#fff",
        "مرحبا",
        "港口🚢",
        "#" + "0" * 400,
    ):
        answer = client.post(f"{base(wid)}/accent", data={"version": "0", "accent": value})
        body = answer.get_data(as_text=True)
        assert answer.status_code == 400, value
        assert "#RRGGBB" in body or "six hexadecimal digits" in body, value
        assert "<script>alert(1)</script>" not in body
    assert stored(app, wid) is None
    # A passing colour is saved; emptying the field brings the storyboard's own colour back.
    assert (
        client.post(f"{base(wid)}/accent", data={"version": "0", "accent": "#0F5C63"}).status_code
        == 303
    )
    version = version_of(client, wid)
    assert (
        client.post(f"{base(wid)}/accent", data={"version": version, "accent": ""}).status_code
        == 303
    )
    row = stored(app, wid)
    assert row is not None and row.accent is None


def test_stale_saves_conflict(app: Flask, client: FlaskClient, team: dict) -> None:
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    assert upload(client, wid, png_bytes(), "one.png", "0").status_code == 303
    loaded = version_of(client, wid)
    # Someone sets the accent meanwhile: a logo upload from the older page still fits.
    assert (
        client.post(
            f"{base(wid)}/accent", data={"version": loaded, "accent": "#7A1F5C"}
        ).status_code
        == 303
    )
    assert upload(client, wid, SVG, "two.svg", loaded).status_code == 303
    second = stored(app, wid)
    assert second is not None and second.logo_kind == "svg"
    # A second replacement from the same old page would undo the first: 409, theirs kept.
    clash = upload(client, wid, png_bytes((80, 20)), "three.png", loaded)
    page = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Someone changed the logo" in page
    assert form_version(page) == str(second.version)
    kept = stored(app, wid)
    assert kept is not None and kept.logo_sha256 == second.logo_sha256
    removal = client.post(f"{base(wid)}/logo/remove", data={"version": loaded, "confirm": "y"})
    assert removal.status_code == 409
    # The accent, a plain form, goes to the conflict page with both values.
    stale = client.post(f"{base(wid)}/accent", data={"version": loaded, "accent": "#0F5C63"})
    assert stale.status_code == 409 and "#7A1F5C" in stale.get_data(as_text=True)


def test_removing_the_logo_needs_confirming_and_keeps_the_accent(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["facilitator"])
    assert upload(client, wid, png_bytes(), "one.png", "0").status_code == 303
    version = version_of(client, wid)
    assert (
        client.post(
            f"{base(wid)}/accent", data={"version": version, "accent": "#7A1F5C"}
        ).status_code
        == 303
    )
    version = version_of(client, wid)
    page = client.get(f"/workspaces/{wid}/settings").get_data(as_text=True)
    assert "Remove the logo" in page and 'data-confirm="Remove the logo' in page
    unconfirmed = client.post(f"{base(wid)}/logo/remove", data={"version": version})
    assert unconfirmed.status_code == 400
    assert "Tick the box" in unconfirmed.get_data(as_text=True)
    row = stored(app, wid)
    assert row is not None and row.logo_kind == "png"
    done = client.post(f"{base(wid)}/logo/remove", data={"version": version, "confirm": "y"})
    assert done.status_code == 303
    row = stored(app, wid)
    assert row is not None and row.logo_kind is None and row.accent == "#7A1F5C"
    page = client.get(f"/workspaces/{wid}/settings").get_data(as_text=True)
    assert "No logo yet." in page and "Remove the logo" not in page


def test_only_facilitators_brand(app: Flask, team: dict) -> None:
    wid = team["workspace_id"]
    for who in ("analyst", "executive"):
        member = FlaskClient(app, use_cookies=True)
        login(member, team[who])
        assert member.get(f"{base(wid)}/").status_code == 403
        assert upload(member, wid, png_bytes(), "x.png", "0").status_code == 403
        assert (
            member.post(
                f"{base(wid)}/accent", data={"version": "0", "accent": "#000000"}
            ).status_code
            == 403
        )
        assert (
            member.post(
                f"{base(wid)}/logo/remove", data={"version": "1", "confirm": "y"}
            ).status_code
            == 403
        )
    outsider = FlaskClient(app, use_cookies=True)
    login(outsider, team["outsider"])
    assert outsider.get(f"{base(wid)}/").status_code == 404
    assert upload(outsider, wid, png_bytes(), "x.png", "0").status_code == 404
    assert stored(app, wid) is None
