"""In real Chromium, several people at once: the room follows the facilitator, input and dots
appear on every screen without reloading, and nobody acts outside their role or after closing."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.conftest import PASSWORD, Person, add_member, make_user, make_workspace
from tests.integration.workshop_helpers import add_factors
from workbench.models import Role

pytestmark = pytest.mark.browser

LIVE = 8000  # ms: polling runs every 2 s, so anything shared shows within a few seconds


@pytest.fixture
def people(app: Flask) -> dict[str, Any]:
    """A workspace with a facilitator, an analyst and an executive."""
    fran = make_user(app, "fran@example.org", "Fran Facilitator")
    ana = make_user(app, "ana@example.org", "Ana Analyst")
    eve = make_user(app, "eve@example.org", "Eve Executive")
    workspace_id = make_workspace(app, fran, "Harbour Hotels")
    add_member(app, workspace_id, ana, Role.ANALYST)
    add_member(app, workspace_id, eve, Role.EXECUTIVE)
    return {"fran": fran, "ana": ana, "eve": eve, "workspace_id": workspace_id}


@pytest.fixture
def contexts(chromium: Any) -> Any:
    """A factory of separate browser contexts (separate cookies), closed at the end."""
    made: list[Any] = []

    def new(width: int = 1280, height: int = 900) -> Any:
        context = chromium.new_context(viewport={"width": width, "height": height})
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


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("WORKBENCH_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page: Any, live: str, person: Person) -> None:
    page.goto(f"{live}/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live}/workspaces/")


def open_room(page: Any, live: str, workspace_id: int) -> str:
    """As the facilitator, open a session from the sessions page; return its join code."""
    page.goto(f"{live}/workspaces/{workspace_id}/workshop/")
    page.get_by_label("Session title").fill("Strategy kick-off")
    page.get_by_role("button", name="Open the session").click()
    page.wait_for_url(re.compile(r".*/workshop/\d+$"))
    return page.locator(".workshop-meta .join-code").inner_text()


def join_with_code(page: Any, live: str, code: str, name: str = "") -> None:
    page.goto(f"{live}/workshop/join")
    page.get_by_label("Join code").fill(code)
    if name:
        page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join", exact=True).click()


def guest_in(fran: Any, guest: Any, live: str, code: str, name: str) -> None:
    """A guest joins; the facilitator admits them from the roster; the guest lands in the room."""
    join_with_code(guest, live, code, name)
    guest.wait_for_url(f"{live}/workshop/waiting")
    fran.get_by_role("button", name=f"Admit {name}").click(timeout=LIVE)
    guest.wait_for_url(re.compile(r".*/workshop/\d+$"), timeout=LIVE)


def test_participants_follow_the_facilitator_step_by_step(
    contexts: Any, live_server: str, people: dict[str, Any], tmp_path: Path
) -> None:
    fran, ana = contexts(), contexts()
    log_in(fran, live_server, people["fran"])
    code = open_room(fran, live_server, people["workspace_id"])
    log_in(ana, live_server, people["ana"])
    join_with_code(ana, live_server, code)
    ana.wait_for_url(re.compile(r".*/workshop/\d+$"))
    assert "Gather what pushes" in ana.locator("#step-title").inner_text()

    fran.get_by_role("button", name="Next step").click()
    fran.wait_for_load_state()
    # The participant's page changes by itself.
    expect(ana.locator("#step-title")).to_contain_text("viable", timeout=LIVE)
    assert "Step 2 of 12" in ana.locator(".step-count").inner_text()
    fran.get_by_label("Go to").select_option("7")
    fran.get_by_role("button", name="Go", exact=True).click()
    expect(ana.locator("#step-title")).to_contain_text("transformed organisation", timeout=LIVE)
    assert ana.get_by_label("Title").count() == 1  # this step's input: a unit of the new structure
    assert ana.get_by_label("Category").count() == 0
    clock = ana.locator(".timer-clock").inner_text()
    assert re.fullmatch(r"\d+:\d\d", clock)
    ana.screenshot(path=str(shots(tmp_path) / "participant-view.png"), full_page=True)
    fran.screenshot(path=str(shots(tmp_path) / "facilitator-view.png"), full_page=True)
    assert fran.errors == [] and ana.errors == []


def test_two_participants_add_factors_at_the_same_moment(
    contexts: Any, live_server: str, people: dict[str, Any]
) -> None:
    fran, ana, guest = contexts(), contexts(), contexts()
    log_in(fran, live_server, people["fran"])
    code = open_room(fran, live_server, people["workspace_id"])
    log_in(ana, live_server, people["ana"])
    join_with_code(ana, live_server, code)
    ana.wait_for_url(re.compile(r".*/workshop/\d+$"))
    guest_in(fran, guest, live_server, code, "Gus Guest")

    ana.get_by_label("Title").fill("Refunds take three weeks")
    ana.get_by_label("It is a").select_option("barrier")
    guest.get_by_label("Title").fill("Front desk wants more say 🙂 مكتب")
    # Both submit without waiting for the other's answer.
    ana.get_by_role("button", name="Add", exact=True).click(no_wait_after=True)
    guest.get_by_role("button", name="Add", exact=True).click(no_wait_after=True)
    board = fran.locator("#room-board")
    board.get_by_text("Refunds take three weeks (barrier)").wait_for(timeout=LIVE)
    board.get_by_text("Front desk wants more say 🙂 مكتب (driver)").wait_for(timeout=LIVE)
    # And on each other's screens, without anyone reloading.
    ana.locator("#room-board").get_by_text("Front desk wants more say").wait_for(timeout=LIVE)
    guest.locator("#room-board").get_by_text("Refunds take three weeks").wait_for(timeout=LIVE)
    assert fran.errors == [] and ana.errors == [] and guest.errors == []


def test_a_vote_with_three_participants_gives_the_right_totals(
    app: Flask, contexts: Any, live_server: str, people: dict[str, Any], tmp_path: Path
) -> None:
    add_factors(app, people["workspace_id"], ["Slow refunds", "Blame culture", "Silos"])
    fran, ana, guest = contexts(), contexts(), contexts()
    log_in(fran, live_server, people["fran"])
    code = open_room(fran, live_server, people["workspace_id"])
    log_in(ana, live_server, people["ana"])
    join_with_code(ana, live_server, code)
    ana.wait_for_url(re.compile(r".*/workshop/\d+$"))
    guest_in(fran, guest, live_server, code, "Gia Guest")

    fran.get_by_label("Vote on").select_option("barriers")
    fran.get_by_label("Question").fill("Which barriers hurt guests most?")
    fran.get_by_role("button", name="Open the vote").click()
    fran.wait_for_load_state()
    for page in (ana, guest):
        page.get_by_text("Which barriers hurt guests most?").wait_for(timeout=LIVE)

    def place(page: Any, item: str, times: int) -> None:
        for _ in range(times):
            before = page.locator(".dots-left").inner_text()
            page.get_by_role("button", name=f"Place a dot on {item}").click()
            expect(page.locator(".dots-left")).not_to_have_text(before)

    place(fran, "Slow refunds", 2)
    place(fran, "Silos", 1)
    place(ana, "Slow refunds", 1)
    place(ana, "Blame culture", 2)
    place(guest, "Slow refunds", 3)
    assert guest.get_by_role("button", name="Place a dot on Silos").is_disabled()

    def dots(page: Any, item: str) -> str:
        row = page.locator(".vote-row", has_text=item)
        return row.locator(".vote-dots").inner_text()

    expect(fran.locator("#room-vote")).to_contain_text("9 dots from 3 people", timeout=LIVE)
    assert (dots(fran, "Slow refunds"), dots(fran, "Blame culture"), dots(fran, "Silos")) == (
        "6",
        "2",
        "1",
    )
    ranks = fran.locator(".vote-row .vote-label").all_inner_texts()
    assert ranks == ["Slow refunds", "Blame culture", "Silos"]
    fran.screenshot(path=str(shots(tmp_path) / "vote-results.png"), full_page=True)

    presenter = contexts(1600, 900)
    log_in(presenter, live_server, people["fran"])
    presenter.goto(fran.url.split("#")[0] + "/presenter")
    presenter.get_by_text("Which barriers hurt guests most?").wait_for()
    presenter.screenshot(path=str(shots(tmp_path) / "presenter-view.png"), full_page=True)
    assert fran.errors == [] and ana.errors == [] and guest.errors == []


def test_nobody_acts_outside_their_role_or_after_the_session_closes(
    contexts: Any, live_server: str, people: dict[str, Any]
) -> None:
    fran, eve, guest = contexts(), contexts(), contexts()
    log_in(fran, live_server, people["fran"])
    code = open_room(fran, live_server, people["workspace_id"])
    room_url = fran.url
    log_in(eve, live_server, people["eve"])
    join_with_code(eve, live_server, code)
    eve.wait_for_url(re.compile(r".*/workshop/\d+$"))
    assert "follow the room and vote" in eve.locator("#add").inner_text()
    assert eve.get_by_role("button", name="Next step").count() == 0
    guest_in(fran, guest, live_server, code, "Gil Guest")
    assert guest.get_by_role("button", name="Close the session").count() == 0

    answer = guest.goto(f"{live_server}/workspaces/{people['workspace_id']}/assessment/factors")
    assert answer is not None and answer.status == 403
    assert "take part in that session only" in guest.content()
    guest.goto(room_url)

    fran.get_by_role("button", name="Close the session").click()
    fran.get_by_text("This session has closed").first.wait_for()
    # The guest's screen leaves the room by itself; the executive's shows the closed session.
    guest.wait_for_url(f"{live_server}/workshop/ended", timeout=LIVE)
    eve.get_by_text("This session has closed").first.wait_for(timeout=LIVE)
    assert eve.locator("#add form").count() == 0
    answer = guest.goto(room_url)
    assert guest.url == f"{live_server}/workshop/ended"
