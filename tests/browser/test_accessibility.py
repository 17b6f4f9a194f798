"""Accessibility in real Chromium: axe-core finds nothing serious or critical on any page of the
demo, for any role or a workshop guest; the quick add, the matrices and the dot vote work from
the keyboard alone; and whatever has keyboard focus shows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.accessibility import AUDIT_CONFIG, prepare_demo, run_audit
from tests.conftest import BASE_CONFIG, PASSWORD, Person, seed
from tests.integration.workshop_helpers import add_factors
from workbench.app import create_app
from workbench.extensions import db
from workbench.models import (
    Initiative,
    InitiativeObjective,
    Objective,
    Perspective,
    User,
    VoteKind,
    WorkshopDot,
)
from workbench.services import voting, workshop, workshop_join
from workbench.services.tenancy import allow_system_access, scope_session

pytestmark = pytest.mark.browser

TAB_LIMIT = 150  # more Tab presses than any page here has stops before its main content ends


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The browser tests' app, serving its forms with their tokens as in production.

    Live fragments poll once a minute: a poll swapping content at the moment of a key press
    would make the tests depend on timing; `poll` below swaps one in when wanted."""
    application = create_app(
        {
            **BASE_CONFIG,
            **AUDIT_CONFIG,
            "DATABASE_URL": database_url,
            "LIVE_POLL_MS": 60_000,
            "JOB_POLL_MS": 60_000,
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def log_in(page: Any, live: str, person: Person) -> None:
    page.goto(f"{live}/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live}/workspaces/")


def tab_to(page: Any, selector: str) -> int:
    """Press Tab from where focus is until the element matching `selector` has it."""
    for presses in range(1, TAB_LIMIT + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{TAB_LIMIT} presses of Tab never reached {selector}")


def settled(page: Any) -> None:
    """Wait until htmx has finished swapping and wiring up new content."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def poll(page: Any, selector: str) -> None:
    """Do what a live fragment's poll does: fetch it again and swap it in."""
    page.evaluate(
        """s => {
          const el = document.querySelector(s);
          return htmx.ajax('GET', el.getAttribute('hx-get'), {target: s, swap: 'outerHTML'});
        }""",
        selector,
    )
    settled(page)


def focused(page: Any, selector: str) -> bool:
    """Whether the element matching `selector` has focus."""
    return bool(page.evaluate("s => document.activeElement.matches(s)", selector))


# --------------------------------------------------------------------------- the audit


def test_no_page_of_the_demo_has_a_serious_or_critical_violation(
    app: Flask, live_server: str, chromium: Any
) -> None:
    team = prepare_demo(app)
    result = run_audit(chromium, live_server, app, team)
    print(result.report())
    # The crawl reached each audience's pages, not only its front door.
    assert len(result.pages["facilitator"]) > 50, result.pages
    assert result.pages["anonymous"][:2] == ["/login", "/register"]
    seen = {path for paths in result.pages.values() for path in paths}
    seen |= {path for paths in result.same_as_audited.values() for path in paths}
    workspace = f"/workspaces/{team.workspace_id}"
    room = f"{workspace}/workshop/{team.session_id}"
    for path in (
        f"{workspace}/assessment/factors",
        f"{workspace}/alignment/matrix",
        f"{workspace}/alignment/principles",
        f"{workspace}/alignment/graph",
        f"{workspace}/members",
        f"{workspace}/storyboard/preview",
        room,
    ):
        assert path in seen, path
    assert "/workshop/waiting" in result.pages["guest"] and room in result.pages["guest"]
    assert not result.blocking(), result.report(details=True)


# --------------------------------------------------------------------------- the keyboard


def test_quick_add_with_the_keyboard_alone(
    page: Any, live_server: str, app: Flask, team: dict[str, Any]
) -> None:
    seed(app)
    log_in(page, live_server, team["analyst"])
    factors = f"/workspaces/{team['workspace_id']}/assessment/factors"
    page.goto(f"{live_server}/workspaces/{team['workspace_id']}/")
    # From the sidebar to the factors page; the titles field has focus on arrival.
    tab_to(page, f".sidebar a[href='{factors}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}{factors}")
    assert focused(page, "#titles")
    page.keyboard.type("Refunds take three weeks")
    # From the titles, the next stop is the form's button; Enter presses it.
    page.keyboard.press("Tab")
    assert focused(page, "#quick-add button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("#quick-add-status", has_text="1 factor added.").wait_for()
    settled(page)
    assert page.locator(".factor-card", has_text="Refunds take three weeks").count() == 1
    # Focus goes back to the emptied titles, ready for the next batch.
    assert focused(page, "#titles") and page.locator("#titles").input_value() == ""
    page.keyboard.type("Old booking system")
    page.keyboard.press("Control+Enter")
    page.locator("#quick-add-status", has_text="1 factor added.").wait_for()
    page.locator(".factor-card", has_text="Old booking system").wait_for()
    settled(page)
    assert focused(page, "#titles")
    assert page.errors == [], page.errors


def _matrix_rows(app: Flask, workspace_id: int) -> tuple[int, int]:
    with app.app_context():
        scope_session(db.session, workspace_id)
        objective = Objective(title="Raise NPS to +30", perspective=Perspective.CUSTOMER)
        initiative = Initiative(title="Callback team for detractors")
        db.session.add_all([objective, initiative])
        db.session.commit()
        return initiative.id, objective.id


def _contribution(app: Flask, workspace_id: int) -> str | None:
    with app.app_context():
        scope_session(db.session, workspace_id)
        link = db.session.scalar(select(InitiativeObjective))
        return link.contribution.value if link else None


def test_matrix_cells_change_with_the_keyboard_alone(
    page: Any, live_server: str, app: Flask, team: dict[str, Any]
) -> None:
    seed(app)
    wid = team["workspace_id"]
    iid, oid = _matrix_rows(app, wid)
    log_in(page, live_server, team["analyst"])
    page.goto(f"{live_server}/workspaces/{wid}/alignment/matrix")
    tab_to(page, f"#c-{iid}-{oid}")
    # The arrow keys step through the choices; each change saves in place, and focus stays
    # on the cell (it is swapped for the saved one) so the next key press still counts.
    page.keyboard.press("ArrowDown")
    page.locator(f"td.contribution-strong#cell-{iid}-{oid}").wait_for()
    settled(page)
    assert focused(page, f"#c-{iid}-{oid}")
    page.keyboard.press("ArrowDown")
    page.locator(f"td.contribution-moderate#cell-{iid}-{oid}").wait_for()
    settled(page)
    assert focused(page, f"#c-{iid}-{oid}")
    assert _contribution(app, wid) == "moderate"

    page.goto(f"{live_server}/workspaces/{wid}/alignment/principles")
    first = page.locator("td.tick input[type=checkbox]").first
    box = f"#{first.get_attribute('id')}"
    tab_to(page, box)
    page.keyboard.press("Space")
    page.locator(f"td.ticked:has({box})").wait_for()
    settled(page)
    assert focused(page, box)
    page.keyboard.press("Space")
    page.locator(f"td.tick:not(.ticked):has({box})").wait_for()
    settled(page)
    assert focused(page, box)
    assert page.errors == [], page.errors


def _room_with_a_vote(app: Flask, team: dict[str, Any]) -> tuple[int, int]:
    """Open a session with the analyst in it and a dot vote on two factors."""
    wid = team["workspace_id"]
    add_factors(app, wid, ["Refunds take three weeks", "Nobody owns complaints"])
    with app.app_context():
        scope_session(db.session, wid)
        facilitator = db.session.get_one(User, team["facilitator"].id)
        analyst = db.session.get_one(User, team["analyst"].id)
        room = workshop.open_session(db.session, facilitator, "Kick-off", 10, 12)
        workshop_join.join_as_member(db.session, analyst, room)
        vote = voting.open_vote(db.session, room, VoteKind.FACTORS, "What hurts most?", 3)
        db.session.commit()
        return room.id, vote.id


def _dots(app: Flask) -> int:
    with app.app_context():
        allow_system_access(db.session)
        return len(db.session.scalars(select(WorkshopDot)).all())


def test_casting_dots_with_the_keyboard_alone(
    page: Any, live_server: str, app: Flask, team: dict[str, Any]
) -> None:
    seed(app)
    wid = team["workspace_id"]
    session_id, _vote_id = _room_with_a_vote(app, team)
    log_in(page, live_server, team["analyst"])
    page.goto(f"{live_server}/workspaces/{wid}/workshop/{session_id}")
    add = "button[aria-label='Place a dot on Refunds take three weeks']"
    tab_to(page, add)
    page.keyboard.press("Enter")
    page.locator(".dots-left", has_text="You have 2 of 3 dots left.").wait_for()
    settled(page)
    # The vote is swapped after the dot and at every poll: focus stays on the same button.
    assert focused(page, add)
    poll(page, "#room-vote")
    assert focused(page, add)
    page.keyboard.press("Space")
    page.locator(".dots-left", has_text="You have 1 of 3 dots left.").wait_for()
    settled(page)
    assert focused(page, add)
    take_back = "button[aria-label='Take a dot back from Refunds take three weeks']"
    page.keyboard.press("Tab")
    assert focused(page, take_back)
    page.keyboard.press("Enter")
    page.locator(".dots-left", has_text="You have 2 of 3 dots left.").wait_for()
    settled(page)
    assert _dots(app) == 1
    assert page.errors == [], page.errors


# --------------------------------------------------------------------------- visible focus

FOCUS_STYLE = """el => {
  const style = getComputedStyle(el);
  return {
    visible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
  };
}"""


def test_keyboard_focus_is_visible_on_links_buttons_and_fields(
    page: Any, live_server: str, app: Flask, team: dict[str, Any]
) -> None:
    seed(app)
    wid = team["workspace_id"]
    log_in(page, live_server, team["facilitator"])
    # A page with links, buttons, selects, text fields and a text area, and no field focused
    # on arrival: Tab starts from the top.
    page.goto(f"{live_server}/workspaces/{wid}/alignment/initiatives")
    kinds = {
        "the skip link": ".skip-link",
        "a link in the header": ".site-header a.brand",
        "a button in the header": ".site-header button",
        "a link in the sidebar": ".sidebar a",
        "a select": "main select",
        "a button": "main button",
        "a text field": "main input[type=text]",
        "a text area": "main textarea",
    }
    for kind, selector in kinds.items():
        tab_to(page, selector)
        style = page.evaluate(f"() => ({FOCUS_STYLE})(document.activeElement)")
        assert style["visible"], f"{kind} does not match :focus-visible"
        assert style["outline"] or style["shadow"], f"{kind} shows no focus ring: {style}"
    assert page.errors == [], page.errors


def test_a_table_wider_than_the_screen_scrolls_from_the_keyboard(
    chromium: Any, live_server: str, app: Flask, team: dict[str, Any]
) -> None:
    context = chromium.new_context(viewport={"width": 320, "height": 700})
    try:
        page = context.new_page()
        log_in(page, live_server, team["facilitator"])
        page.goto(f"{live_server}/workspaces/{team['workspace_id']}/history")
        wrap = page.locator("#history-results .table-wrap")
        assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
        # Nothing in the table takes focus, so its wrapper does, named after the caption.
        assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
        assert wrap.get_attribute("aria-label") == "Changes, newest first, scrolls sideways"
        tab_to(page, "#history-results .table-wrap")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('#history-results .table-wrap').scrollLeft > 0"
        )
        # Wide enough again, it is no longer a stop on the way through the page.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_function(
            "() => !document.querySelector('#history-results .table-wrap').hasAttribute('tabindex')"
        )
    finally:
        context.close()
