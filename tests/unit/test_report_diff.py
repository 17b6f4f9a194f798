"""The version comparison: sentences with old and new values, matched by name, never failing."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analysis.method_notes import method_notes
from workbench.analysis.report_diff import MAX_PER_SECTION, diff_reports


def _initiative(title: str, budget: float, status: str = "approved") -> dict[str, Any]:
    return {
        "title": title,
        "department": "Operations",
        "status": status,
        "budget": budget,
        "spend": 0.0,
        "approach": "recover",
        "objectives": 1,
    }


def _card(name: str, latest: float, target: float, unit: str = "percent") -> dict[str, Any]:
    return {
        "name": name,
        "unit": unit,
        "direction": "higher",
        "latest": latest,
        "baseline": 70.0,
        "target": target,
        "target_date": "2027-06-30",
        "baseline_date": "2026-01-31",
        "status": "on_track",
        "status_label": "On track",
        "progress": 50,
        "points": [],
    }


def _context() -> dict[str, Any]:
    """A small plain report context in the shape snapshots keep."""
    return {
        "as_of": "2026-12-01",
        "workspace": {"name": "Harbour Hotels", "industry": "Hotels", "vision": "Calm stays."},
        "assessment": {
            "verdict": "viable",
            "index": 61.2,
            "factor_score": 70.0,
            "readiness_score": 52.4,
            "factors": [
                {
                    "title": "No central log",
                    "category": "process",
                    "polarity": "barrier",
                    "importance": 4,
                }
            ],
            "readiness": {"respondents": 9, "overall": 52.4, "dimensions": [], "discussion": []},
            "journey": [],
        },
        "alignment": {
            "score": 80.0,
            "objectives": [{"title": "Raise CSAT", "perspective": "customer"}],
            "initiatives": [
                _initiative("Case system", 40000.0),
                _initiative("Goodwill allowance", 20000.0),
                _initiative("Review queue", 5000.0),
            ],
            "budget": {"total": 65000.0, "spend": 0.0, "by_department": []},
            "matrix": {"objectives": ["Raise CSAT"], "rows": [["Case system", ["moderate"]]]},
            "gaps": {"unaligned": [], "unserved": [], "barriers": []},
            "timeline": [["Case system", "2026-04-01", "2026-12-31", "approved"]],
            "waves": [["Case system"]],
        },
        "operating": {
            "scenarios": [{"name": "Room not ready", "severity": "medium", "responder": "Desk"}],
            "stakeholders": [["Dana", "person", 5, 5, "Manage closely"]],
            "processes": [],
            "target": [],
            "needs": ["Quick answers"],
            "applications": {
                "currency": "GBP",
                "rows": [["Case desk", "Case management or CSM", "Fiona", 38000, "2028-11-03"]],
                "total_cost": 38000,
                "sentences": ["The one application costs GBP 38,000 a year in all."],
            },
        },
        "metrics": {
            "departments": [{"name": "Guest relations", "metrics": [_card("CSAT", 78.0, 80.0)]}],
            "economics": {"saved": True, "currency": "GBP", "roi": 120, "programme_cost": 50000},
        },
        "changes": {"last_change": "2026-12-01T10:00"},
    }


def _texts(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[str]]:
    return {d.key: [c.text for c in d.changes] for d in diff_reports(old, new)}


def test_equal_versions_have_nothing_to_say() -> None:
    diffs = diff_reports(_context(), _context())
    assert [d.changed for d in diffs] == [False] * 9
    assert all(not d.changes for d in diffs)


def test_sentences_name_rows_and_give_old_and_new_values() -> None:
    old, new = _context(), _context()
    new["assessment"]["index"] = 52.0
    new["assessment"]["verdict"] = "viable with conditions"
    initiatives = new["alignment"]["initiatives"]
    initiatives[0]["budget"] = 52000.0
    initiatives[1]["status"] = "in progress"
    del initiatives[2]
    initiatives += [_initiative(t, 1000.0) for t in ("Night training", "Text alerts", "Chatbot")]
    new["metrics"]["departments"][0]["metrics"][0]["target"] = 82.0
    new["metrics"]["departments"][0]["metrics"][0]["latest"] = 80.5
    new["operating"]["scenarios"].append({"name": "Lost luggage", "severity": "low"})
    new["workspace"]["vision"] = "Calm stays everywhere."

    texts = _texts(old, new)
    assert "Verdict changed from viable to viable with conditions" in texts["assessment"]
    assert "Viability index fell from 61 to 52" in texts["assessment"]
    assert (
        "3 initiatives added: 'Night training', 'Text alerts' and 'Chatbot'" in texts["alignment"]
    )
    assert "Initiative 'Review queue' removed" in texts["alignment"]
    assert "Budget of 'Case system' raised from GBP 40,000 to GBP 52,000" in texts["alignment"]
    assert (
        "Status of 'Goodwill allowance' changed from approved to in progress" in texts["alignment"]
    )
    assert "Goal of 'CSAT' target moved from 80% to 82%" in texts["metrics"]
    assert "Latest value of 'CSAT' rose from 78% to 80.5%" in texts["metrics"]
    assert "Failure scenario 'Lost luggage' added" in texts["operating"]
    # Which strategy text changed, never the text itself.
    assert texts["workspace"] == ["The vision was rewritten"]

    budget = next(
        c
        for d in diff_reports(old, new)
        for c in d.changes
        if c.subject == "Budget of 'Case system'"
    )
    assert (budget.before, budget.after) == ("GBP 40,000", "GBP 52,000")


def test_dates_scores_and_contributions_are_itemised() -> None:
    old, new = _context(), _context()
    new["alignment"]["timeline"][0][2] = "2027-03-31"
    new["alignment"]["matrix"]["rows"][0][1][0] = "strong"
    new["alignment"]["score"] = 86.0
    new["operating"]["stakeholders"][0][4] = "Keep satisfied"
    new["metrics"]["economics"]["roi"] = 95
    old["operating"]["scenarios"][0].update(needs_approval=False, initiatives=["Case system"])
    new["operating"]["scenarios"][0].update(needs_approval=True, initiatives=[])
    texts = _texts(old, new)
    assert "Whether 'Room not ready' needs approval changed from no to yes" in texts["operating"]
    assert (
        "Initiatives linked to 'Room not ready' changed from Case system to none"
        in texts["operating"]
    )
    assert "End of 'Case system' moved from 31 December 2026 to 31 March 2027" in texts["alignment"]
    assert (
        "Contribution of 'Case system' to 'Raise CSAT' changed from moderate to strong"
        in texts["alignment"]
    )
    assert "Alignment score rose from 80 to 86" in texts["alignment"]
    assert (
        "Place on the stakeholder grid of 'Dana' changed from Manage closely to Keep satisfied"
        in texts["operating"]
    )
    assert "Return on the programme's cost fell from 120% to 95%" in texts["metrics"]


def test_dropped_work_dates_and_decisions_read_as_a_board_expects() -> None:
    old, new = _context(), _context()
    old["alignment"]["dropped"] = []
    old["decisions"] = [
        ["delivery", "Case system", "Re-plan it: was due 3 days ago.", "Dana", "2027-01-03", True],
        ["raci", "Follow up", "Agree who is accountable.", "Hotel managers", None, True],
    ]
    new["decisions"] = [
        ["delivery", "Case system", "Re-plan it: was due 4 days ago.", "Dana", "2027-01-03", True],
        ["metrics", "CSAT", "Agree how CSAT gets back on track.", "Fiona", None, True],
    ]
    gone = new["alignment"]["initiatives"].pop(1)
    new["alignment"]["dropped"] = [[gone["title"], gone["budget"], 0.0]]
    old["alignment"]["initiatives"][0].update(start="2026-04-01", end="2026-12-31")
    new["alignment"]["initiatives"][0].update(start="2026-05-01", end="2026-12-31")
    new["alignment"]["timeline"][0][1] = "2026-05-01"
    texts = _texts(old, new)
    assert "Initiative 'Goodwill allowance' dropped" in texts["alignment"]
    assert not any("removed" in text for text in texts["alignment"])
    # Told once, though both the initiative and its roadmap bar moved.
    assert (
        texts["alignment"].count("Start of 'Case system' moved from 1 April 2026 to 1 May 2026")
        == 1
    )
    # A decision whose wording moved with the calendar is the same decision.
    assert texts["decisions"] == [
        "Open decision 'CSAT' added",
        "Open decision 'Follow up' closed",
    ]


def test_a_long_list_is_capped_with_how_many_more() -> None:
    old = _context()
    old["alignment"]["initiatives"] += [_initiative(f"Pilot {n}", 1000.0) for n in range(20)]
    new = copy.deepcopy(old)
    for row in new["alignment"]["initiatives"]:
        row["budget"] += 500
    new["alignment"]["initiatives"] += [_initiative(f"New {n}", 10.0) for n in range(20)]
    diff = next(d for d in diff_reports(old, new) if d.key == "alignment")
    # 1 sentence for the added ones, 23 budgets raised.
    assert len(diff.changes) == MAX_PER_SECTION
    assert diff.more == 24 - MAX_PER_SECTION
    assert diff.more_text == f"and {24 - MAX_PER_SECTION} more changes"
    added = diff.changes[0].text
    assert added.startswith("20 initiatives added: 'New 0', 'New 1'")
    assert added.endswith("and 15 more")


def test_an_old_snapshot_missing_keys_does_not_invent_changes() -> None:
    new = _context()
    old = copy.deepcopy(new)
    # An older release: no metrics section, no readiness, initiatives without a status.
    del old["metrics"]
    del old["assessment"]["readiness"]
    del old["alignment"]["gaps"]
    for row in old["alignment"]["initiatives"]:
        del row["status"]
    diffs = {d.key: d for d in diff_reports(old, new)}
    assert not any(d.changed for d in diffs.values())
    old["alignment"]["initiatives"][0]["budget"] = 30000.0
    texts = _texts(old, new)
    # The status an older release did not record is not reported as a change.
    assert texts["alignment"] == ["Budget of 'Case system' raised from GBP 30,000 to GBP 40,000"]


def test_old_snapshots_of_other_shapes_never_fail() -> None:
    new = _context()
    for old in (
        None,
        {},
        {"workspace": "text", "assessment": [], "alignment": None},
        {"alignment": {"initiatives": [1, None, {"title": 5}, ["x"]], "budget": 7}},
        {"metrics": {"departments": [{"metrics": "none"}], "economics": []}},
        {"assessment": {"factors": 5, "index": "high", "journey": [[None]]}},
        {"assessment": {"index": float("inf")}, "alignment": {"budget": {"total": -float("inf")}}},
    ):
        diffs = diff_reports(old, new)
        assert [d.key for d in diffs] == [
            "workspace",
            "assessment",
            "alignment",
            "operating",
            "front_line",
            "metrics",
            "risks",
            "decisions",
            "commentary",
        ]


def test_commentary_written_rewritten_and_taken_out_is_told() -> None:
    old, new = _context(), _context()
    old["commentary"] = {
        "summary": {"html": "<p>Fund it.</p>", "paragraphs": ["Fund it."]},
        "risks": {"html": "<p>Watch.</p>", "paragraphs": ["Watch."]},
    }
    new["commentary"] = {
        "summary": {"html": "<p>Fund it now.</p>", "paragraphs": ["Fund it now."]},
        "metrics": {"html": "<ul><li>One</li></ul>", "paragraphs": ["• One"]},
    }
    part = next(d for d in diff_reports(old, new) if d.key == "commentary")
    assert part.changed and part.title == "Our view"
    assert [c.text for c in part.changes] == [
        "Our view on “Summary for the board” was rewritten",
        "Our view on “Risks” was taken out",
        "Our view on “Metrics and goals” was added",
    ]
    assert (part.changes[0].before, part.changes[0].after) == ("Fund it.", "Fund it now.")
    # A snapshot from before commentary existed has nothing to say about it.
    del old["commentary"]
    assert not next(d for d in diff_reports(old, new) if d.key == "commentary").changed


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    section=st.sampled_from(["workspace", "assessment", "alignment", "operating", "metrics"]),
    key=st.sampled_from(
        [
            "initiatives",
            "factors",
            "scenarios",
            "departments",
            "timeline",
            "matrix",
            "budget",
            "economics",
            "readiness",
            "stakeholders",
            "processes",
            "index",
            "vision",
            "gaps",
        ]
    ),
    value=JSON,
)
def test_any_value_in_an_old_snapshot_is_read_without_failing(
    section: str, key: str, value: Any
) -> None:
    old = _context()
    old[section][key] = value
    for diff in diff_reports(old, _context()):
        assert all(isinstance(c.text, str) and c.text for c in diff.changes)
        assert len(diff.changes) <= MAX_PER_SECTION


def test_the_application_portfolio_is_itemised() -> None:
    old, new = _context(), _context()
    portfolio = new["operating"]["applications"]
    portfolio["rows"][0][3] = 41000
    portfolio["rows"][0][4] = "2029-03-31"
    portfolio["rows"].append(["Review monitor", "Reviews and surveys", "Marketing", 9600, None])
    portfolio["total_cost"] = 50600
    texts = _texts(old, new)["operating"]
    assert "Annual cost of the applications raised from GBP 38,000 to GBP 50,600" in texts
    assert "Application 'Review monitor' added" in texts
    assert "Annual cost of 'Case desk' changed from GBP 38,000 to GBP 41,000" in texts
    assert "Contract end of 'Case desk' changed from 3 November 2028 to 31 March 2029" in texts
    # A snapshot from before the portfolio has nothing to say about it.
    del old["operating"]["applications"]
    assert not [t for t in _texts(old, new)["operating"] if "application" in t.lower()]


def test_method_notes_state_the_thresholds_in_use() -> None:
    notes = {note.title: note for note in method_notes()}
    viability = notes["Viability index and verdict"]
    assert "viable at 65 or more" in viability.explanation
    assert "from 45" in viability.explanation
    assert "moderate one 2/3" in notes["Alignment score"].explanation
    assert "programme cost" in notes["Recovery economics"].formula


@settings(max_examples=150, deadline=None)
@given(
    path=st.sampled_from(
        [
            ("alignment", "initiatives", 0),
            ("alignment", "timeline", 0),
            ("alignment", "matrix", "rows"),
            ("operating", "scenarios", 0),
            ("operating", "stakeholders", 0),
            ("assessment", "factors", 0),
        ]
    ),
    value=JSON,
)
def test_any_row_in_an_old_snapshot_is_read_without_failing(
    path: tuple[str, str, Any], value: Any
) -> None:
    old = _context()
    section, key, index = path
    old[section][key][index] = value
    for diff in diff_reports(old, _context()):
        assert all(isinstance(c.text, str) and c.text for c in diff.changes)
