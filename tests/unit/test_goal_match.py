"""A corporate goal reworded into an objective is recognised; a different goal is not."""

from __future__ import annotations

from workbench.analysis.goal_match import already_an_objective

DEMO_OBJECTIVES = [
    "Raise the group's average review rating from 3.9 to 4.5 stars",
    "Reply to every review of three stars or below within 48 hours",
    "Increase guests who book again within 12 months from 28% to 40%",
    "Grow direct bookings to 60% of all reservations",
    "Cut the cost of handling guest complaints by 20% while raising satisfaction",
    "Become the top-rated employer among UK hotel groups of our size",
]
DEMO_GOALS = [
    "Raise the group's average review rating from 3.9 to 4.5 stars within two years.",
    "Increase the share of guests who book again within 12 months from 28% to 40%.",
    "Grow direct bookings to 60% of all reservations to reduce agency commission.",
    "Cut the cost of handling guest complaints by 20% while improving satisfaction.",
    "Become the top-rated employer among UK hotel groups of similar size.",
]


def test_each_demo_goal_is_recognised_in_its_reworded_objective():
    for goal in DEMO_GOALS:
        assert already_an_objective(goal, DEMO_OBJECTIVES), goal


def test_a_goal_sharing_a_few_words_is_not_taken():
    assert not already_an_objective(
        "Cut energy use across the group by 15% within three years.", DEMO_OBJECTIVES
    )
    assert not already_an_objective(
        "Grow direct bookings to 75% of all reservations.", DEMO_OBJECTIVES
    )
    assert not already_an_objective("Open two new hotels in Wales.", [])
