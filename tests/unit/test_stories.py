"""Success stories: permission to quote, attribution and the order they are told in."""

from __future__ import annotations

from datetime import date

from workbench.analysis.report_diff import diff_reports
from workbench.analysis.stories import ANONYMOUS, StoryRecord, attribution, best, may_quote


def _story(
    story_id: int,
    permission: str = "named",
    rating: int = 3,
    featured: bool = False,
    quote: str = "They made it right.",
    happened_on: date | None = None,
) -> StoryRecord:
    return StoryRecord(
        story_id, f"Story {story_id}", quote, "Ana Silva", permission, rating, featured, happened_on
    )


def test_only_permitted_stories_with_words_may_be_quoted() -> None:
    assert may_quote("named", "Thank you") and may_quote("anonymous", "Thank you")
    assert not may_quote("none", "Thank you")
    assert not may_quote("named", "   ")
    assert not may_quote("yes", "Thank you")  # an unknown permission is no permission


def test_anonymous_permission_never_prints_the_name() -> None:
    assert attribution("named", "Ana Silva") == "Ana Silva"
    assert attribution("anonymous", "Ana Silva") == ANONYMOUS
    assert attribution("named", "  ") == ANONYMOUS


def test_the_best_are_featured_then_strongest_then_recent_and_never_unpermitted() -> None:
    stories = [
        _story(1, rating=5),
        _story(2, permission="none", rating=5, featured=True),
        _story(3, rating=2, featured=True),
        _story(4, rating=5, happened_on=date(2026, 6, 1)),
        _story(5, permission="anonymous", rating=4),
    ]
    chosen = best(stories)
    assert [s.id for s in chosen] == [3, 4, 1]
    assert 2 not in [s.id for s in best(stories, limit=10)]
    assert [s.id for s in best(stories, limit=10)] == [3, 4, 1, 5]


def test_the_comparison_of_two_versions_names_story_and_training_changes() -> None:
    old = {
        "front_line": {
            "stories": [{"title": "Birthday saved"}, {"title": "Review answered"}],
            "training": [{"department": "Guest services", "done": 1, "overdue": 1}],
            "gaps": ["A: no department has training for it."],
        }
    }
    new = {
        "front_line": {
            "stories": [{"title": "Birthday saved"}, {"title": "Ring returned"}],
            "training": [
                {"department": "Guest services", "done": 2, "overdue": 0},
                {"department": "Marketing", "done": 0, "overdue": 0},
            ],
            "gaps": [],
        }
    }
    (section,) = [s for s in diff_reports(old, new) if s.key == "front_line"]
    texts = [change.text for change in section.changes]
    assert "Quoted story 'Ring returned' added" in texts
    assert "Quoted story 'Review answered' no longer quoted" in texts
    assert "Training plan 'Marketing' added" in texts
    assert "Training sessions done in 'Guest services' changed from 1 to 2" in texts
    assert "Scenarios no responding team is trained for changed from 1 to 0" in texts
    # A version from before the section says nothing about it.
    (silent,) = [s for s in diff_reports({}, new) if s.key == "front_line"]
    assert not silent.changed
