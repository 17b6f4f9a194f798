"""In real Chromium, the small page fixes of issue 19: quick add keeps to the content security
policy, each factor of an initiative's checklist stays whole in one column, Delete sits level
with Save, and the overview never puts the four phases three and one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_workshop import shots
from tests.conftest import PASSWORD, login, seed
from tests.integration.test_merge import (
    _initiative,
    _metric,
    _objective,
    _scenario,
    _stakeholder,
)
from tests.integration.workshop_helpers import add_factors

pytestmark = pytest.mark.browser

SENTENCE = "guests wait too long for a refund after a complaint about their stay"


def log_in(page: Any, live: str, team: dict[str, Any]) -> None:
    page.goto(f"{live}/login")
    page.get_by_label("Email").fill(team["facilitator"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live}/workspaces/")


def csp_errors(page: Any) -> list[str]:
    return [error for error in page.errors if "Content Security Policy" in error]


def test_quick_add_after_resizing_its_field_breaks_no_policy(
    page: Any, live_server: str, app: Flask, team: dict[str, Any], tmp_path: Path
) -> None:
    log_in(page, live_server, team)
    page.goto(f"{live_server}/workspaces/{team['workspace_id']}/assessment/factors")
    titles = page.locator("#titles")
    # Drag the field's corner taller, as someone pasting a long list does: the browser keeps
    # the new height as an inline style on the field.
    box = titles.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] + 90, steps=5)
    page.mouse.up()
    assert "height" in (titles.get_attribute("style") or "")
    for batch in ("Slow refunds\nNo callback after a complaint", "Blame culture"):
        page.locator("#titles").fill(batch)
        page.locator("#titles").press("Control+Enter")
        count = len(batch.splitlines())
        page.locator("#quick-add-status", has_text=f"{count} factor").wait_for()
    page.locator(".factor-card", has_text="Blame culture").wait_for()
    page.screenshot(path=str(shots(tmp_path) / "quick-add.png"))
    assert csp_errors(page) == []
    assert page.errors == []


def test_each_factor_of_the_checklist_stays_whole_in_its_column(
    page: Any, live_server: str, app: Flask, team: dict[str, Any], tmp_path: Path
) -> None:
    seed(app)
    words = SENTENCE.split()
    # Titles of many lengths, so that some factor reaches the foot of the first column.
    titles = [f"{index + 1}: " + " ".join(words[: 2 + (index * 5) % 11]) for index in range(31)]
    add_factors(app, team["workspace_id"], titles)
    client = app.test_client()
    login(client, team["facilitator"])
    initiative = _initiative(client, team["workspace_id"])
    log_in(page, live_server, team)
    for width in (1366, 1280, 1100):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}{initiative}")
        page.locator("#links").scroll_into_view_if_needed()
        page.screenshot(path=str(shots(tmp_path) / f"checklist-{width}.png"))
        pairs = page.locator(".links-grid .checklist-group").first.locator("label.check")
        found = pairs.evaluate_all(
            """labels => labels.map(label => {
                 const box = label.querySelector('input').getBoundingClientRect();
                 const text = label.querySelector('span[dir]').getBoundingClientRect();
                 return {title: label.innerText, box: box.toJSON(), text: text.toJSON()};
               })"""
        )
        assert len(found) == 31
        for item in found:
            box, text = item["box"], item["text"]
            # The text sits just right of its checkbox, on the same line, not a column over.
            assert box["x"] < text["x"] < box["x"] + 150, (width, item["title"])
            assert abs(text["y"] - box["y"]) < 20, (width, item["title"])


def _process(client: Any, wid: int) -> str:
    base = f"/workspaces/{wid}/operating/processes"
    page = client.get(f"{base}/").get_data(as_text=True)
    key = page.split('name="template" value="')[1].split('"')[0]
    return client.post(f"{base}/adopt", data={"template": key}).headers["Location"]


def test_delete_sits_level_with_save(
    page: Any, live_server: str, app: Flask, team: dict[str, Any], tmp_path: Path
) -> None:
    seed(app)
    client = app.test_client()
    login(client, team["facilitator"])
    wid = team["workspace_id"]
    pages = {
        "objective": (_objective(client, wid), "Save", "Delete objective"),
        "initiative": (_initiative(client, wid), "Save initiative", "Delete initiative"),
        "stakeholder": (_stakeholder(client, wid), "Save", "Delete stakeholder"),
        "scenario": (_scenario(client, wid), "Save scenario", "Delete scenario"),
        "metric": (_metric(client, wid), "Save metric", "Delete metric"),
        "process": (_process(client, wid), "Save", "Delete process"),
    }
    log_in(page, live_server, team)
    for name, (path, save, delete) in pages.items():
        page.goto(f"{live_server}{path}")
        delete_button = page.get_by_role("button", name=delete, exact=True)
        row = page.locator(".form-actions", has=delete_button)
        save_button = row.get_by_role("button", name=save, exact=True)
        delete_button.scroll_into_view_if_needed()
        saved, deleted = save_button.bounding_box(), delete_button.bounding_box()
        assert saved is not None and deleted is not None, name
        assert saved["y"] == deleted["y"] and saved["height"] == deleted["height"], name
        row.screenshot(path=str(shots(tmp_path) / f"actions-{name}.png"))
    # Delete still asks first, then deletes.
    path = pages["stakeholder"][0]
    page.goto(f"{live_server}{path}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete stakeholder").click()
    page.wait_for_url(f"{live_server}/workspaces/{wid}/operating/stakeholders")
    page.get_by_text("Front desk deleted, with their roles in processes.").wait_for()
    assert page.get_by_role("link", name="Front desk").count() == 0
    assert page.errors == []


def test_the_overview_shows_the_four_phases_in_even_rows(
    page: Any, live_server: str, team: dict[str, Any], tmp_path: Path
) -> None:
    log_in(page, live_server, team)
    for width in (1920, 1366, 1280, 1152, 1024, 900, 700, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/workspaces/{team['workspace_id']}/")
        tops = page.locator(".phase-card").evaluate_all(
            "cards => cards.map(card => Math.round(card.getBoundingClientRect().top))"
        )
        rows = sorted(Counter(tops).values())
        assert rows in ([4], [2, 2], [1, 1, 1, 1]), (width, rows)
        if width >= 1280:
            assert rows == [4], width
        page.screenshot(path=str(shots(tmp_path) / f"overview-{width}.png"))
    assert page.errors == []
