"""Success stories: permission to quote, attribution and the order they are told in."""

from __future__ import annotations

from datetime import date

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
