"""Hostile, oversized, empty and exotic input to every form: refused clearly or stored exactly.

The rules checked for each form:

- never a 5xx;
- invalid input answers 400 (413 for a body over MAX_CONTENT_LENGTH) and the page names
  the problem;
- valid Unicode is stored exactly, NFC-normalised, and shown back HTML-escaped;
- NUL and other control characters are stripped, never stored;
- a refused save loses nothing that was stored before.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, form_version, login, make_user
from tests.mail_support import confirm_registration, outbox
from workbench.extensions import db
from workbench.models import STRATEGY_FIELDS, Invite, Membership, Role, User, Workspace
from workbench.services import workspaces
from workbench.services.tenancy import allow_system_access, scope_session

ARABIC = "مرحبا بالعالم"
HEBREW = "שלום עולם"
CJK = "服务恢复战略 サービス回復 서비스"
EMOJI = "👩🏽‍💻 👨‍👩‍👧‍👦 🏳️‍🌈"
COMBINING = "Cafe\u0301 Zoe\u0308 n\u0303"  # typed decomposed (NFD)
COMBINING_NFC = "Café Zoë ñ"

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "file:///etc/passwd",
    "http://evil.example/x",
    '=HYPERLINK("http://evil")',
    "+cmd|' /C calc'!A0",
)

# NUL, other C0 controls, DEL and a C1 control (NEL), around ordinary text.
CONTROL = "\x00Sta\x01ff\x07 ro\x1bom\x7f\x85\x00"
CONTROL_CLEAN = "Staff room"
CONTROL_ONLY = "\x00\x01\x02\x1b\x7f"

WHITESPACE = " \t \n  "
LONG_LINE = "L" * 300
LONG_TEXT = "T" * 20_000
INVALID_ROLES = (
    "owner",
    "admin",
    "FACILITATOR",
    "",
    "   ",
    "facilitator\x00",
    "<script>alert(1)</script>",
    "r" * 300,
)
MALFORMED_VERSIONS = ("", "abc", "-1", "1.5", "0x1", "²", "1\x00", "9" * 40)


# --------------------------------------------------------------------------- helpers


def nfc(text: str) -> str:
    """What a stored text must be: NFC, no control characters, trimmed."""
    normalised = unicodedata.normalize("NFC", text)
    kept = "".join(ch for ch in normalised if ch in "\t\n" or unicodedata.category(ch) != "Cc")
    return kept.strip()


def html(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def assert_not_5xx(response: TestResponse, what: str) -> None:
    assert response.status_code < 500, f"{what}: server error {response.status_code}"


def assert_refused(response: TestResponse, message: str, what: str) -> None:
    """A 400 whose page names the problem."""
    assert_not_5xx(response, what)
    assert response.status_code == 400, f"{what}: expected 400, got {response.status_code}"
    assert message in html(response), f"{what}: the page does not say {message!r}"


def escape_problems(page: str, value: str) -> list[str]:
    """Why `value` is not shown correctly escaped on the page (empty when it is)."""
    escaped = str(escape(value))
    problems = []
    if escaped not in page:
        problems.append(f"{value!r} is not shown (expected {escaped!r})")
    if escaped != value and value in page:
        problems.append(f"{value!r} appears unescaped")
    for dangerous in ("<script>alert(1)", "<img src=x", 'href="file:', 'href="http://evil'):
        if dangerous in page:
            problems.append(f"{dangerous!r} reached the page as markup")
    return problems


def read(app: Flask, model: type[Any], row_id: int) -> Any:
    with app.app_context():
        allow_system_access(db.session)
        row = db.session.get(model, row_id)
        if row is not None:
            db.session.expunge(row)
        return row


def counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        allow_system_access(db.session)
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (User, Workspace, Membership, Invite)
        }


def strategy_of(app: Flask, workspace_id: int) -> dict[str, str]:
    workspace = read(app, Workspace, workspace_id)
    return {name: getattr(workspace, name) for name in STRATEGY_FIELDS}


def membership_of(app: Flask, workspace_id: int, user_id: int) -> Membership | None:
    with app.app_context():
        allow_system_access(db.session)
        row = db.session.scalar(
            select(Membership).where(
                Membership.workspace_id == workspace_id, Membership.user_id == user_id
            )
        )
        if row is not None:
            db.session.expunge(row)
        return row


def save_strategy(client: FlaskClient, workspace_id: int, **values: str) -> TestResponse:
    page = client.get(f"/workspaces/{workspace_id}/strategy")
    assert page.status_code == 200
    return client.post(
        f"/workspaces/{workspace_id}/strategy",
        data={"version": form_version(html(page)), **values},
    )


def register(client: FlaskClient, **overrides: str) -> TestResponse:
    data = {
        "display_name": "New Person",
        "email": "new@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        **overrides,
    }
    return client.post("/register", data=data)


# --------------------------------------------------------------------------- register


def test_register_refuses_invalid_values(app: Flask, client: FlaskClient) -> None:
    cases = [
        ({"display_name": LONG_LINE}, "under 120 characters"),
        ({"display_name": ""}, "Enter your name."),
        ({"display_name": WHITESPACE}, "Enter your name."),
        ({"display_name": CONTROL_ONLY}, "Enter your name."),
        ({"email": ""}, "Enter an email address."),
        ({"email": WHITESPACE}, "Enter an email address."),
        ({"email": "a" * 290 + "@example.org"}, "limited to 254 characters"),
        ({"password": "p" * 20_000, "confirm": "p" * 20_000}, "limited to 256 characters"),
        ({"password": "", "confirm": ""}, "Enter a password."),
        ({"password": " " * 12, "confirm": " " * 12}, "Enter a password."),
        ({"password": "short", "confirm": "short"}, "at least 10 characters"),
        ({"confirm": "something else entirely"}, "The two passwords differ."),
        *[({"email": value}, "Enter an email address such as") for value in HOSTILE],
        ({"email": f"{ARABIC}"}, "Enter an email address such as"),
    ]
    before = counts(app)
    failures = []
    for overrides, message in cases:
        response = register(client, **overrides)
        what = f"register {overrides!r:.80}"
        try:
            assert_refused(response, message, what)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
    assert counts(app) == before


def test_register_stores_unicode_names_exactly_and_shows_them_escaped(
    app: Flask, client: FlaskClient
) -> None:
    names = [f"{ARABIC} {HEBREW}", f"{CJK} {EMOJI}", COMBINING, *HOSTILE, CONTROL]
    failures = []
    for number, name in enumerate(names):
        email = f"person{number}@example.org"
        response = register(client, display_name=name, email=email)
        assert response.status_code == 200, f"register {name!r}: {response.status_code}"
        failures += [f"check your inbox: {p}" for p in escape_problems(html(response), email)]
        confirmed = confirm_registration(app, client, email, PASSWORD)
        assert confirmed.status_code == 303, f"confirm {name!r}: {confirmed.status_code}"
        with app.app_context():
            stored = db.session.scalar(select(User.display_name).where(User.email == email))
        if stored != nfc(name):
            failures.append(f"{name!r} stored as {stored!r}, expected {nfc(name)!r}")
        page = html(client.get("/workspaces/"))
        failures += [f"header: {p}" for p in escape_problems(page, nfc(name))]
        client.post("/logout")
    assert nfc(COMBINING) == COMBINING_NFC
    assert nfc(CONTROL) == CONTROL_CLEAN
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- login


def test_login_refuses_invalid_values(app: Flask, client: FlaskClient) -> None:
    person = make_user(app, "login@example.org")
    cases = [
        ({"email": "", "password": PASSWORD}, "Enter an email address."),
        ({"email": WHITESPACE, "password": PASSWORD}, "Enter an email address."),
        ({"email": CONTROL_ONLY, "password": PASSWORD}, "Enter an email address."),
        ({"email": "a" * 290 + "@example.org", "password": PASSWORD}, "254 characters"),
        ({"email": person.email, "password": ""}, "Enter a password."),
        ({"email": person.email, "password": WHITESPACE}, "Enter a password."),
        ({"email": person.email, "password": "p" * 20_000}, "limited to 256 characters"),
        *[({"email": value, "password": PASSWORD}, "such as") for value in HOSTILE],
    ]
    failures = []
    for data, message in cases:
        try:
            assert_refused(client.post("/login", data=data), message, f"login {data!r:.80}")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
    unknown = client.post("/login", data={"email": f"{CJK[:3]}@例え.jp", "password": PASSWORD})
    assert unknown.status_code == 401
    assert "do not match an account" in html(unknown)
    # Case, surrounding whitespace and control characters do not stop a real login.
    ok = client.post("/login", data={"email": "  \x00LOGIN@Example.ORG\x07 ", "password": PASSWORD})
    assert ok.status_code == 302


def test_change_password_refuses_invalid_values(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    person = team["analyst"]
    login(client, person)
    stored = read(app, User, person.id).password_hash
    new = "a brand new secret"
    cases = [
        ({"current": "", "password": new, "confirm": new}, "Enter a password."),
        ({"current": "c" * 20_000, "password": new, "confirm": new}, "256 characters"),
        ({"current": PASSWORD, "password": "n" * 20_000, "confirm": "n" * 20_000}, "256"),
        ({"current": PASSWORD, "password": WHITESPACE, "confirm": WHITESPACE}, "Enter a"),
        ({"current": PASSWORD, "password": "short", "confirm": "short"}, "at least 10"),
        ({"current": PASSWORD, "password": new, "confirm": new + "!"}, "differ"),
        ({"current": HOSTILE[0], "password": new, "confirm": new}, "not correct"),
    ]
    failures = []
    for data, message in cases:
        response = client.post("/account/password", data=data)
        try:
            assert_refused(response, message, f"password {data!r:.80}")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
    assert read(app, User, person.id).password_hash == stored
    assert client.get("/workspaces/").status_code == 200


# --------------------------------------------------------------------------- workspaces


def test_create_workspace_refuses_invalid_values(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    login(client, team["facilitator"])
    cases = [
        ({"name": LONG_LINE}, "Keep the organisation name under 120 characters."),
        ({"name": ""}, "Organisation name is required."),
        ({"name": WHITESPACE}, "Organisation name is required."),
        ({"name": CONTROL_ONLY}, "Organisation name is required."),
        ({"name": "Fine", "industry": LONG_LINE}, "Keep the industry under 80 characters."),
    ]
    before = counts(app)
    failures = []
    for data, message in cases:
        try:
            assert_refused(client.post("/workspaces/", data=data), message, f"create {data!r:.60}")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
    assert counts(app) == before


def test_create_workspace_stores_unicode_names_exactly_and_shows_them_escaped(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    login(client, team["facilitator"])
    names = [f"{ARABIC} {HEBREW}", f"{CJK} {EMOJI}", COMBINING, *HOSTILE, CONTROL]
    failures = []
    for name in names:
        response = client.post("/workspaces/", data={"name": name, "industry": EMOJI})
        assert response.status_code == 302, f"create {name!r}: {response.status_code}"
        workspace_id = int(response.headers["Location"].split("/")[2])
        workspace = read(app, Workspace, workspace_id)
        if (workspace.name, workspace.industry) != (nfc(name), nfc(EMOJI)):
            failures.append(f"{name!r} stored as {workspace.name!r}/{workspace.industry!r}")
        flashed = html(client.get(response.headers["Location"]))
        failures += [f"strategy page of {name!r}: {p}" for p in escape_problems(flashed, nfc(name))]
        overview = html(client.get(f"/workspaces/{workspace_id}/"))
        failures += [f"overview of {name!r}: {p}" for p in escape_problems(overview, nfc(name))]
    listing = html(client.get("/workspaces/"))
    for name in names:
        failures += [f"workspace list: {p}" for p in escape_problems(listing, nfc(name))]
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- strategy


def test_strategy_stores_unicode_and_hostile_text_exactly_and_escapes_it(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    values = {
        "purpose": f"{ARABIC}\n{HEBREW}",
        "vision": CJK,
        "mission": EMOJI,
        "values": f"{COMBINING}\r\nSecond line",
        "corporate_goals": "\n".join(HOSTILE[:3]),
        "current_state": "\n".join(HOSTILE[3:]),
        "future_state": CONTROL,
    }
    login(client, team["facilitator"])
    response = save_strategy(client, workspace_id, **values)
    assert response.status_code == 302, html(response)[:300]

    stored = strategy_of(app, workspace_id)
    expected = {name: nfc(value.replace("\r\n", "\n")) for name, value in values.items()}
    # Fields the form did not fill (the storyboard narratives) stay empty.
    assert stored == {**{name: "" for name in stored}, **expected}
    assert stored["values"] == f"{COMBINING_NFC}\nSecond line"
    assert stored["future_state"] == CONTROL_CLEAN
    assert "\x00" not in "".join(stored.values())

    pieces = [ARABIC, HEBREW, CJK, nfc(EMOJI), COMBINING_NFC, *HOSTILE, CONTROL_CLEAN]
    reader = app.test_client()
    login(reader, team["executive"])
    pages = {
        "editor's form": html(client.get(f"/workspaces/{workspace_id}/strategy")),
        "executive's read-only view": html(reader.get(f"/workspaces/{workspace_id}/strategy")),
        "history": html(client.get(f"/workspaces/{workspace_id}/history")),
    }
    failures = [
        f"{where}: {problem}"
        for where, page in pages.items()
        for piece in pieces
        for problem in escape_problems(page, piece)
    ]
    assert not failures, "\n".join(failures)


def test_strategy_refuses_oversized_text_and_keeps_what_was_saved(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    login(client, team["analyst"])
    assert save_strategy(client, workspace_id, purpose="Keep guests", vision=CJK).status_code == 302
    saved = strategy_of(app, workspace_id)

    too_long = save_strategy(client, workspace_id, purpose=LONG_TEXT, vision="Changed")
    assert_refused(too_long, "Keep the purpose under 10,000 characters.", "20,000 characters")
    assert strategy_of(app, workspace_id) == saved

    body = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    version = form_version(html(client.get(f"/workspaces/{workspace_id}/strategy")))
    too_big = client.post(
        f"/workspaces/{workspace_id}/strategy",
        data={"version": version, "purpose": body, "vision": "Changed"},
    )
    assert too_big.status_code == 413
    assert "larger than the workbench accepts" in html(too_big)
    assert strategy_of(app, workspace_id) == saved
    page = html(client.get(f"/workspaces/{workspace_id}/strategy"))
    assert "Keep guests" in page
    assert CJK in page

    limit = save_strategy(client, workspace_id, purpose="é" * 10_000, vision=CJK)
    assert limit.status_code == 302, "exactly 10,000 characters must be accepted"
    assert strategy_of(app, workspace_id)["purpose"] == "é" * 10_000


def test_strategy_whitespace_and_control_only_values_are_stored_empty(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    login(client, team["facilitator"])
    assert save_strategy(client, workspace_id, purpose="Filled", vision="Filled").status_code == 302
    response = save_strategy(client, workspace_id, purpose=WHITESPACE, vision=CONTROL_ONLY)
    assert response.status_code == 302
    stored = strategy_of(app, workspace_id)
    assert stored["purpose"] == ""
    assert stored["vision"] == ""


def _version_failures(
    app: Flask, client: FlaskClient, url: str, data: dict[str, str], unchanged: Any
) -> list[str]:
    """Post each malformed version; collect every answer that is not a clean 400."""
    before = unchanged()
    failures = []
    for version in MALFORMED_VERSIONS:
        response = client.post(url, data={**data, "version": version})
        page = html(response)
        answer = f"POST {url} with version={version!r}: {response.status_code}"
        if response.status_code != 400:
            failures.append(f"{answer}, expected 400")
        if "changed by someone else" in page:
            failures.append(f"{answer}: blames a concurrent edit for a malformed form")
        if unchanged() != before:
            failures.append(f"{answer}: something was saved")
    return failures


def test_strategy_refuses_a_malformed_version(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    login(client, team["facilitator"])
    assert save_strategy(client, workspace_id, purpose="Stored purpose").status_code == 302
    failures = _version_failures(
        app,
        client,
        f"/workspaces/{workspace_id}/strategy",
        {"purpose": "Submitted purpose"},
        lambda: strategy_of(app, workspace_id),
    )
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- settings, delete


def test_settings_refuse_invalid_values_and_keep_the_name(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    url = f"/workspaces/{workspace_id}/settings"
    login(client, team["facilitator"])
    cases = [
        ({"name": LONG_LINE}, "Keep the organisation name under 120 characters."),
        ({"name": ""}, "Organisation name is required."),
        ({"name": WHITESPACE}, "Organisation name is required."),
        ({"name": CONTROL_ONLY}, "Organisation name is required."),
        ({"name": "Fine", "industry": LONG_LINE}, "Keep the industry under 80 characters."),
    ]
    failures = []
    for data, message in cases:
        version = form_version(html(client.get(url)))
        response = client.post(url, data={"version": version, **data})
        try:
            assert_refused(response, message, f"settings {data!r:.60}")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
    workspace = read(app, Workspace, workspace_id)
    assert (workspace.name, workspace.industry) == ("Harbour Test Hotels", "rail")


def test_settings_store_unicode_names_exactly_and_show_them_escaped(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    url = f"/workspaces/{workspace_id}/settings"
    login(client, team["facilitator"])
    failures = []
    for name in (f"{HEBREW} {EMOJI}", COMBINING, *HOSTILE, CONTROL):
        version = form_version(html(client.get(url)))
        response = client.post(url, data={"version": version, "name": name, "industry": CJK})
        assert response.status_code == 302, f"rename to {name!r}: {response.status_code}"
        workspace = read(app, Workspace, workspace_id)
        if (workspace.name, workspace.industry) != (nfc(name), CJK):
            failures.append(f"{name!r} stored as {workspace.name!r}/{workspace.industry!r}")
        page = html(client.get(url))
        failures += [f"settings after {name!r}: {p}" for p in escape_problems(page, nfc(name))]
    assert not failures, "\n".join(failures)


def test_settings_refuse_a_malformed_version(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    login(client, team["facilitator"])

    def details() -> tuple[str, str, int]:
        workspace = read(app, Workspace, workspace_id)
        return workspace.name, workspace.industry, workspace.version

    failures = _version_failures(
        app,
        client,
        f"/workspaces/{workspace_id}/settings",
        {"name": "Renamed", "industry": "ferries"},
        details,
    )
    assert not failures, "\n".join(failures)


def test_delete_confirmation_refuses_invalid_values(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    login(client, team["facilitator"])
    cases = [
        (LONG_LINE, "under 120 characters"),
        ("", "Type the workspace name to confirm the deletion."),
        (WHITESPACE, "Type the workspace name to confirm the deletion."),
        (CONTROL_ONLY, "Type the workspace name to confirm the deletion."),
        ("harbour test hotels", "Type the workspace name exactly"),
        ("Foreign Ferries", "Type the workspace name exactly"),
        *[(value, "Type the workspace name exactly") for value in HOSTILE],
    ]
    failures = []
    for value, message in cases:
        response = client.post(f"/workspaces/{workspace_id}/delete", data={"confirm_name": value})
        try:
            assert_refused(response, message, f"delete confirm {value!r:.60}")
        except AssertionError as error:
            failures.append(str(error))
        if escape(value) != value and value in html(response):
            failures.append(f"delete confirm {value!r}: echoed unescaped")
    assert not failures, "\n".join(failures)
    assert read(app, Workspace, workspace_id) is not None
    assert read(app, Workspace, team["foreign_id"]) is not None


def test_delete_accepts_the_name_typed_decomposed_with_control_characters(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    login(client, team["facilitator"])
    created = client.post("/workspaces/", data={"name": f"{COMBINING} {CJK}"})
    workspace_id = int(created.headers["Location"].split("/")[2])
    assert read(app, Workspace, workspace_id).name == f"{COMBINING_NFC} {CJK}"
    response = client.post(
        f"/workspaces/{workspace_id}/delete",
        data={"confirm_name": f"\x00{COMBINING} {CJK}\x07 "},
    )
    assert response.status_code == 302
    assert read(app, Workspace, workspace_id) is None
    assert read(app, Workspace, team["workspace_id"]) is not None


# --------------------------------------------------------------------------- members, invites


def test_add_member_refuses_invalid_emails_and_roles(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    newcomer = make_user(app, "newcomer@example.org", "New Comer")
    workspace_id = team["workspace_id"]
    url = f"/workspaces/{workspace_id}/members"
    login(client, team["facilitator"])
    cases = [
        ({"email": "", "role": "analyst"}, "Enter an email address."),
        ({"email": WHITESPACE, "role": "analyst"}, "Enter an email address."),
        ({"email": CONTROL_ONLY, "role": "analyst"}, "Enter an email address."),
        ({"email": "a" * 290 + "@example.org", "role": "analyst"}, "254 characters"),
        *[({"email": value, "role": "analyst"}, "such as") for value in HOSTILE],
        *[
            ({"email": newcomer.email, "role": r}, "Choose facilitator, analyst or executive.")
            for r in INVALID_ROLES
        ],
    ]
    before = counts(app)
    failures = []
    for data, message in cases:
        try:
            assert_refused(client.post(url, data=data), message, f"add member {data!r:.70}")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
    assert counts(app) == before
    assert membership_of(app, workspace_id, newcomer.id) is None

    added = client.post(url, data={"email": " \x00NEWCOMER@Example.ORG\x07 ", "role": "executive"})
    assert added.status_code == 302
    # The cleaned address is invited by email; it joins when the person follows the link.
    [invitation] = outbox(app)
    assert str(invitation["To"]) == "newcomer@example.org"
    with app.app_context():
        scope_session(db.session, workspace_id)
        invite = db.session.scalar(select(Invite).where(Invite.email == "newcomer@example.org"))
        assert invite is not None and invite.role == Role.EXECUTIVE


def test_change_role_refuses_invalid_roles(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """An invalid role is refused with a message (a 400 page, or back to the members page)."""
    workspace_id = team["workspace_id"]
    target = membership_of(app, workspace_id, team["executive"].id)
    url = f"/workspaces/{workspace_id}/members/{target.id}/role"
    login(client, team["facilitator"])
    failures = []
    for role in INVALID_ROLES:
        response = client.post(url, data={"role": role, "version": str(target.version)})
        what = f"role={role!r:.40}: {response.status_code}"
        if response.status_code in (302, 303):
            page = html(client.get(response.headers["Location"]))
        elif response.status_code == 400:
            page = html(response)
        else:
            failures.append(f"{what}, expected 400 or a redirect back with a message")
            continue
        if "Choose one of the three roles." not in page:
            failures.append(f"{what}: the page does not say what is wrong")
    assert not failures, "\n".join(failures)
    after = membership_of(app, workspace_id, team["executive"].id)
    assert (after.role, after.version) == (Role.EXECUTIVE, target.version)


def test_change_role_refuses_a_malformed_version(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    target = membership_of(app, workspace_id, team["executive"].id)
    url = f"/workspaces/{workspace_id}/members/{target.id}/role"
    login(client, team["facilitator"])
    failures = []
    for version in MALFORMED_VERSIONS:
        response = client.post(url, data={"role": "analyst", "version": version})
        answer = f"version={version!r}: {response.status_code}"
        page = html(response)
        if response.status_code in (302, 303):
            page = html(client.get(response.headers["Location"]))
            if "flash--error" not in page:
                failures.append(f"{answer}: redirected without an error message")
        elif response.status_code != 400:
            failures.append(f"{answer}, expected 400 (or a redirect back with a message)")
        if "changed by someone else" in page:
            failures.append(f"{answer}: blames a concurrent edit for a malformed form")
    assert not failures, "\n".join(failures)
    after = membership_of(app, workspace_id, team["executive"].id)
    assert (after.role, after.version) == (Role.EXECUTIVE, target.version)


def test_create_invite_refuses_invalid_roles(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    url = f"/workspaces/{team['workspace_id']}/invites"
    login(client, team["facilitator"])
    before = counts(app)
    failures = []
    for role in INVALID_ROLES:
        response = client.post(url, data={"role": role})
        try:
            assert_refused(
                response, "Choose facilitator, analyst or executive.", f"invite role={role!r:.40}"
            )
        except AssertionError as error:
            failures.append(str(error))
        if "/join/" in html(response):
            failures.append(f"invite role={role!r:.40}: an invite link was shown")
    assert not failures, "\n".join(failures)
    assert counts(app) == before


def test_join_refuses_malformed_invite_tokens(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """Garbage, hostile or oversized tokens: a 4xx page saying the link is not valid."""
    login(client, team["outsider"])
    tokens = [
        "garbage",
        "a" * 500,
        "a" * 501,
        "\x00",
        f"{ARABIC}{EMOJI}",
        COMBINING,
        *HOSTILE,
        "eyJ3IjoxfQ.invalid.signature",
    ]
    before = counts(app)
    failures = []
    for token in tokens:
        for method in ("GET", "POST"):
            response = client.open(f"/join/{quote(token, safe='')}", method=method)
            what = f"{method} /join/{token!r:.40}: {response.status_code}"
            page = html(response)
            if response.status_code not in (400, 404, 410):
                failures.append(f"{what}, expected a 4xx refusal")
            elif response.status_code != 404 and "not valid" not in page:
                failures.append(f"{what}: the page does not say the link is not valid")
            if escape(token) != token and token in page:
                failures.append(f"{what}: the token is echoed unescaped")
    assert not failures, "\n".join(failures)
    assert counts(app) == before


# --------------------------------------------------------------------------- history filters


def test_history_filters_ignore_hostile_query_strings(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    workspace_id = team["workspace_id"]
    login(client, team["facilitator"])
    assert save_strategy(client, workspace_id, purpose="Something to list").status_code == 302
    values = [
        "",
        "abc",
        "-1",
        "1.5",
        "1e3",
        "²",
        "\u0661",  # ARABIC-INDIC DIGIT ONE
        "99999999999",
        str(2**31),
        "9" * 40,
        "\x00",
        "' OR 1=1 --",
        LONG_LINE,
        f"{ARABIC}{EMOJI}",
        *HOSTILE,
    ]
    failures = []
    for name in ("person", "entity", "page"):
        for value in values:
            response = client.get(f"/workspaces/{workspace_id}/history", query_string={name: value})
            what = f"history?{name}={value!r:.40}: {response.status_code}"
            if response.status_code not in (200, 400):
                failures.append(f"{what}, expected 200 (filter ignored) or 400")
                continue
            page = html(response)
            if escape(value) != value and value in page:
                failures.append(f"{what}: the value is echoed unescaped")
            if response.status_code == 200 and "History" not in page:
                failures.append(f"{what}: no history page")
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- 413 everywhere


def test_every_form_refuses_a_body_over_the_limit(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    """A body over MAX_CONTENT_LENGTH: 413 with a message, on every form, nothing written."""
    workspace_id = team["workspace_id"]
    huge = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    with app.app_context():
        scope_session(db.session, workspace_id)
        creator = db.session.get(User, team["facilitator"].id)
        invite, token = workspaces.create_invite(
            db.session, creator, Role.ANALYST, 72, app.config["SECRET_KEY"]
        )
        invite_id = invite.id
        db.session.commit()
    member = membership_of(app, workspace_id, team["executive"].id)
    w = f"/workspaces/{workspace_id}"
    anonymous = {"/register": "display_name", "/login": "email"}
    logged_in = {
        "/account/password": "password",
        "/workspaces/": "name",
        f"{w}/strategy": "purpose",
        f"{w}/settings": "name",
        f"{w}/delete": "confirm_name",
        f"{w}/members": "email",
        f"{w}/members/{member.id}/role": "role",
        f"{w}/members/{member.id}/remove": "csrf_token",
        f"{w}/invites": "role",
        f"{w}/invites/{invite_id}/revoke": "csrf_token",
        f"/join/{token}": "csrf_token",
    }
    before = counts(app), read(app, Workspace, workspace_id).version
    failures = []
    for urls in (anonymous, logged_in):
        if urls is logged_in:
            login(client, team["facilitator"])
        for url, field_name in urls.items():
            response = client.post(url, data={field_name: huge})
            if response.status_code != 413:
                failures.append(f"POST {url} with 2 MB+: {response.status_code}, expected 413")
            elif "larger than the workbench accepts" not in html(response):
                failures.append(f"POST {url} with 2 MB+: the page does not say it is too large")
    assert not failures, "\n".join(failures)
    assert (counts(app), read(app, Workspace, workspace_id).version) == before
    assert read(app, Invite, invite_id).revoked is False
