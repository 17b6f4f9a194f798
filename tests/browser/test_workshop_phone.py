"""A guest takes part in a workshop from a phone 390 px wide, and the facilitator leads from a
laptop: every page of the guest's path fits the screen, every target takes a thumb, the dot
buttons sit where the thumb rests, and the facilitator's controls open in view."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.browser.test_workshop import LIVE, join_with_code, log_in, open_room, shots
from tests.conftest import add_member, make_user, make_workspace
from tests.integration.workshop_helpers import add_factors
from workbench.models import Role

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
THUMB = 44  # px: the smallest target a fingertip hits reliably

# Every visible control, with its size, and how far the page reaches past the screen's right
# edge. A link inside a sentence is exempt (as WCAG's target-size rule exempts it): it cannot
# grow without breaking the line it sits in. Visually hidden helpers (1 px) are not targets.
LAYOUT = """() => {
  const root = document.documentElement;
  const sentence = (el) => {
    if (el.tagName !== 'A') return false;
    const block = el.closest('p, li, td');
    return !!block && block.innerText.trim() !== el.innerText.trim();
  };
  const small = [];
  for (const el of document.querySelectorAll(
      'a, button, input:not([type=hidden]), select, textarea, summary')) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || sentence(el)) continue;
    if (box.width < 44 || box.height < 44) {
      small.push(`${el.tagName} "${(el.innerText || el.name || '').trim()}" `
        + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return {overflow: root.scrollWidth - root.clientWidth, small};
}"""

BOXES = "els => els.map(e => e.getBoundingClientRect().toJSON())"


def fits_a_phone(page: Any, where: str, folder: Path) -> None:
    """No sideways scrolling and no target smaller than a thumb; keep a screenshot."""
    page.screenshot(path=str(folder / f"phone-{where}.png"), full_page=True)
    found = page.evaluate(LAYOUT)
    assert found["overflow"] <= 0, f"{where}: the page scrolls sideways by {found['overflow']} px"
    assert found["small"] == [], f"{where}: targets under {THUMB} px: {found['small']}"


@pytest.fixture
def team(app: Flask) -> dict[str, Any]:
    """A workspace with its facilitator and three barriers to vote on."""
    fran = make_user(app, "fran@example.org", "Fran Facilitator")
    ana = make_user(app, "ana@example.org", "Ana Analyst")
    workspace_id = make_workspace(app, fran, "Harbour Hotels")
    add_member(app, workspace_id, ana, Role.ANALYST)
    add_factors(
        app,
        workspace_id,
        ["Refunds wait for head-office approval", "Blame culture at the front desk", "Silos"],
    )
    return {"fran": fran, "ana": ana, "workspace_id": workspace_id}


@pytest.fixture
def browsers(chromium: Any) -> Any:
    """Separate browser contexts: a laptop, or a touch phone 390 px wide."""
    made: list[Any] = []

    def new(phone: bool = False) -> Any:
        options: dict[str, Any] = {"viewport": PHONE if phone else LAPTOP}
        if phone:
            options.update(is_mobile=True, has_touch=True)
        context = chromium.new_context(**options)
        made.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield new
    for context in made:
        context.close()


def test_the_facilitators_controls_open_in_view(
    browsers: Any, live_server: str, team: dict[str, Any], tmp_path: Path
) -> None:
    fran = browsers()
    log_in(fran, live_server, team["fran"])
    open_room(fran, live_server, team["workspace_id"])
    fran.reload()
    assert fran.evaluate("window.scrollY") == 0  # the input's focus does not scroll the page
    for control in (
        fran.get_by_role("button", name="Previous step"),
        fran.get_by_role("button", name="Next step"),
        fran.get_by_label("Go to"),
        fran.get_by_role("button", name="Restart the timer"),
        fran.get_by_role("button", name="Open the vote"),
        fran.get_by_role("button", name="Close the session"),
    ):
        box = control.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"]
    fran.screenshot(path=str(shots(tmp_path) / "facilitator-first-screen.png"))
    assert fran.errors == []


def test_a_guest_joins_adds_and_votes_from_a_phone(
    browsers: Any, live_server: str, team: dict[str, Any], tmp_path: Path
) -> None:
    folder = shots(tmp_path)
    fran, guest = browsers(), browsers(phone=True)
    log_in(fran, live_server, team["fran"])
    code = open_room(fran, live_server, team["workspace_id"])

    guest.goto(f"{live_server}/workshop/join")
    fits_a_phone(guest, "join", folder)
    join_with_code(guest, live_server, code, "Pia Phone")
    guest.wait_for_url(f"{live_server}/workshop/waiting")
    fits_a_phone(guest, "waiting", folder)

    fran.get_by_role("button", name="Admit Pia Phone").click(timeout=LIVE)
    guest.wait_for_url(re.compile(r".*/workshop/\d+$"), timeout=LIVE)
    fits_a_phone(guest, "room", folder)

    guest.get_by_label("Title").fill("Guests repeat their story to three people")
    guest.get_by_role("button", name="Add", exact=True).tap()
    board = guest.locator("#room-board")
    board.get_by_text("Guests repeat their story to three people").wait_for(timeout=LIVE)
    fits_a_phone(guest, "board", folder)

    fran.get_by_label("Vote on").select_option("barriers")
    fran.get_by_label("Question").fill("Which barriers hurt guests most?")
    fran.get_by_role("button", name="Open the vote").click()
    guest.get_by_text("Which barriers hurt guests most?").wait_for(timeout=LIVE)
    # Measured on the reloaded page: a panel that has just arrived by its poll is still
    # settling (htmx moves its classes over a moment later) and may not be laid out yet.
    guest.reload()
    guest.locator(".dot-add").first.wait_for(timeout=LIVE)
    fits_a_phone(guest, "vote", folder)

    # The open vote comes first on the reloaded page, each dot button at the right edge where
    # the thumb of the hand holding the phone rests, all of them in reach without zooming.
    # Read in one go: the vote panel is redrawn by its poll every few hundred milliseconds.
    boxes = guest.locator(".dot-add").evaluate_all(BOXES)
    assert len(boxes) == 3
    assert boxes[0]["y"] + boxes[0]["height"] <= PHONE["height"]
    for box in boxes:
        assert box["x"] >= PHONE["width"] / 2, "a dot button sits out of the thumb's reach"
        assert PHONE["width"] - (box["x"] + box["width"]) <= 40
        assert box["width"] >= THUMB and box["height"] >= THUMB

    guest.get_by_role("button", name="Place a dot on Silos").tap()
    expect(guest.locator(".dots-left")).to_contain_text("2 of 3", timeout=LIVE)
    guest.get_by_role("button", name="Place a dot on Silos").tap()
    expect(guest.locator(".dots-left")).to_contain_text("1 of 3", timeout=LIVE)
    (box,) = guest.locator(".dot-remove").evaluate_all(BOXES)
    assert box["width"] >= THUMB and box["height"] >= THUMB
    fits_a_phone(guest, "voted", folder)
    expect(fran.locator("#room-vote")).to_contain_text("2 dots from 1 person", timeout=LIVE)
    assert fran.errors == [] and guest.errors == []
