"""Aggregating workshop answers into question, dimension and overall scores.

Every expected figure below was worked out by hand; the working is in the comments.
"""

from __future__ import annotations

import math

import pytest

from workbench.analysis.aggregation import (
    Answer,
    QuestionResult,
    aggregate,
    is_disagreement,
    weighted_mean,
)
from workbench.analysis.instruments import Dimension, Instrument, Question, Scale


def make_instrument(low: int = 1, high: int = 5) -> Instrument:
    """Two dimensions: speed (weight 2; a, reverse-scored b of weight 3) and learning (c, d)."""
    speed = Dimension(
        "speed",
        "Speed",
        "",
        2.0,
        (
            Question("a", "We answer quickly."),
            Question("b", "Customers chase us.", weight=3.0, reverse=True),
        ),
    )
    learning = Dimension(
        "learning",
        "Learning",
        "",
        1.0,
        (Question("c", "We fix causes."), Question("d", "We share lessons.")),
    )
    return Instrument("workshop", "Workshop", 1, "", Scale(low, high, {}), (speed, learning))


def answers(table: dict[str, dict[int, int]]) -> list[Answer]:
    """Turn {question: {respondent: value}} into answers."""
    return [
        Answer(respondent, question, value)
        for question, given in table.items()
        for respondent, value in given.items()
    ]


THREE_PEOPLE = {
    "a": {1: 5, 2: 4, 3: 3},
    "b": {1: 2, 2: 2, 3: 1},
    "c": {1: 1, 2: 5},
}


def test_three_respondents_hand_computed() -> None:
    result = aggregate(make_instrument(), answers(THREE_PEOPLE))

    # a: 5, 4, 3 -> mean 4, spread 2, pstdev sqrt((1 + 0 + 1) / 3), score (4 - 1) / 4 = 75
    a = result.question("a")
    assert (a.respondents, a.mean, a.minimum, a.maximum, a.spread) == (3, 4.0, 3, 5, 2)
    assert a.stdev == pytest.approx(math.sqrt(2 / 3))
    assert a.score == pytest.approx(75.0)
    assert a.disagreement is True
    assert (a.dimension_key, a.reverse, a.text) == ("speed", False, "We answer quickly.")

    # b (reverse): 2, 2, 1 as given -> mean 5/3, spread 1, pstdev sqrt(2/9);
    # scored as 4, 4, 5 -> mean 13/3, score (13/3 - 1) / 4 * 100 = 250/3
    b = result.question("b")
    assert b.mean == pytest.approx(5 / 3)
    assert (b.minimum, b.maximum, b.spread) == (1, 2, 1)
    assert b.stdev == pytest.approx(math.sqrt(2 / 9))
    assert b.score == pytest.approx(250 / 3)
    assert (b.disagreement, b.reverse) == (False, True)

    # c: 1, 5 -> mean 3, spread 4, pstdev 2, score 50
    c = result.question("c")
    assert (c.respondents, c.mean, c.spread, c.stdev, c.score) == (2, 3.0, 4, 2.0, 50.0)
    assert c.disagreement is True

    # d: nobody answered
    d = result.question("d")
    assert d == QuestionResult(
        "d", "We share lessons.", 0, None, None, None, None, None, False, None, "learning", False
    )

    # speed = (75 x 1 + 250/3 x 3) / (1 + 3) = 325 / 4 = 81.25
    speed = result.dimension("speed")
    assert speed.score == pytest.approx(81.25)
    assert (speed.answered_questions, speed.total_questions, speed.respondents) == (2, 2, 3)
    assert speed.disagreements == ("a",)
    assert speed.title == "Speed"

    # learning = c alone = 50; d is unanswered and left out, not counted as zero
    learning = result.dimension("learning")
    assert learning.score == pytest.approx(50.0)
    assert (learning.answered_questions, learning.total_questions, learning.respondents) == (
        1,
        2,
        2,
    )
    assert learning.disagreements == ("c",)

    # overall = (81.25 x 2 + 50 x 1) / 3 = 212.5 / 3
    assert result.overall_score == pytest.approx(212.5 / 3)
    assert result.respondents == 3
    assert result.ignored == 0
    assert result.instrument_key == "workshop"
    assert [q.key for q in result.questions] == ["a", "b", "c", "d"]
    assert [dim.key for dim in result.dimensions] == ["speed", "learning"]
    # discussion points: flagged questions only, widest spread first
    assert [q.key for q in result.discussion_points] == ["c", "a"]


def test_nothing_is_rounded() -> None:
    result = aggregate(make_instrument(), answers(THREE_PEOPLE))
    assert result.question("b").score == 250 / 3
    assert result.overall_score != round(result.overall_score or 0, 2)


def test_reverse_scoring_mirrors_the_value_but_reports_answers_as_given() -> None:
    instrument = make_instrument()
    agree = aggregate(instrument, [Answer(1, "b", 5)]).question("b")
    disagree = aggregate(instrument, [Answer(1, "b", 1)]).question("b")
    middle = aggregate(instrument, [Answer(1, "b", 2)]).question("b")
    assert (agree.mean, agree.score) == (5.0, 0.0)
    assert (disagree.mean, disagree.score) == (1.0, 100.0)
    # 2 is scored as 1 + 5 - 2 = 4, so (4 - 1) / 4 = 75
    assert (middle.minimum, middle.maximum, middle.score) == (2, 2, 75.0)


def test_reverse_scoring_on_a_scale_not_starting_at_one() -> None:
    # scale 0..10: 3 is scored as 0 + 10 - 3 = 7, so the score is 70
    result = aggregate(make_instrument(0, 10), [Answer(1, "b", 3), Answer(1, "a", 3)])
    assert result.question("b").score == pytest.approx(70.0)
    assert result.question("a").score == pytest.approx(30.0)


def test_question_weights_within_a_dimension() -> None:
    # a = 5 (score 100, weight 1); b = 5 reversed to 1 (score 0, weight 3): (100 + 0) / 4 = 25
    result = aggregate(make_instrument(), [Answer(1, "a", 5), Answer(1, "b", 5)])
    assert result.dimension("speed").score == pytest.approx(25.0)


def test_dimension_weights_in_the_overall_score() -> None:
    # speed: a = 1 -> 0; learning: c = 5 -> 100; overall (0 x 2 + 100 x 1) / 3
    result = aggregate(make_instrument(), [Answer(1, "a", 1), Answer(2, "c", 5)])
    assert result.dimension("speed").score == 0.0
    assert result.dimension("learning").score == 100.0
    assert result.overall_score == pytest.approx(100 / 3)


def test_overall_uses_only_dimensions_with_a_score() -> None:
    result = aggregate(make_instrument(), [Answer(1, "c", 4)])
    assert result.dimension("speed").score is None
    assert result.overall_score == pytest.approx(75.0)


def test_last_answer_per_respondent_and_question_wins() -> None:
    given = [
        Answer(1, "a", 1),
        Answer(2, "a", 2),
        Answer(1, "a", 5),  # replaces respondent 1's earlier 1
        Answer(2, "a", 4),  # replaces respondent 2's earlier 2
    ]
    a = aggregate(make_instrument(), given).question("a")
    assert (a.respondents, a.mean, a.minimum, a.maximum) == (2, 4.5, 4, 5)
    reordered = aggregate(make_instrument(), [given[2], given[0], given[3], given[1]])
    assert reordered.question("a").mean == 1.5


def test_an_invalid_later_answer_does_not_erase_a_valid_one() -> None:
    result = aggregate(make_instrument(), [Answer(1, "a", 4), Answer(1, "a", 9)])
    assert result.question("a").mean == 4.0
    assert result.ignored == 1


def test_out_of_range_and_unknown_answers_are_ignored_and_counted() -> None:
    given = [
        Answer(1, "a", 3),
        Answer(2, "a", 0),  # below the scale
        Answer(3, "a", 6),  # above the scale
        Answer(4, "unknown", 3),  # no such question
        Answer(5, "c", True),  # a flag is not a rating
        Answer(6, "c", 2.5),  # type: ignore[arg-type]  # not a whole number
    ]
    result = aggregate(make_instrument(), given)
    assert result.ignored == 5
    assert result.respondents == 1
    assert result.question("a").respondents == 1
    assert result.question("c").respondents == 0


def test_no_answers_gives_no_scores() -> None:
    result = aggregate(make_instrument(), [])
    assert result.overall_score is None
    assert (result.respondents, result.ignored, result.discussion_points) == (0, 0, ())
    for question in result.questions:
        assert question.respondents == 0
        assert None is question.mean is question.minimum is question.maximum
        assert None is question.spread is question.stdev is question.score
        assert question.disagreement is False
    for dimension in result.dimensions:
        assert dimension.score is None
        assert (dimension.answered_questions, dimension.respondents) == (0, 0)
        assert dimension.total_questions == 2
        assert dimension.disagreements == ()


def test_only_ignored_answers_is_the_same_as_none() -> None:
    result = aggregate(make_instrument(), [Answer(1, "a", 7), Answer(1, "zz", 1)])
    assert (result.overall_score, result.respondents, result.ignored) == (None, 0, 2)


def test_one_respondent_never_flags_disagreement() -> None:
    result = aggregate(make_instrument(), [Answer(1, "a", 1), Answer(1, "c", 5)])
    a = result.question("a")
    assert (a.respondents, a.spread, a.stdev, a.disagreement) == (1, 0, 0.0, False)
    assert result.discussion_points == ()
    assert not is_disagreement(1, 4, Scale(1, 5, {}))


@pytest.mark.parametrize(
    ("low", "high", "first", "second", "expected"),
    [
        (1, 5, 3, 4, False),  # spread 1 < 4 / 2
        (1, 5, 3, 5, True),  # spread 2 = 4 / 2: exactly at the boundary
        (1, 5, 2, 5, True),  # spread 3
        (1, 4, 2, 3, False),  # spread 1 < 3 / 2
        (1, 4, 2, 4, True),  # spread 2 >= 1.5
        (0, 10, 2, 6, False),  # spread 4 < 10 / 2
        (0, 10, 2, 7, True),  # spread 5 = 10 / 2: exactly at the boundary
        (1, 5, 4, 4, False),  # agreement
    ],
)
def test_disagreement_threshold_is_half_the_scale_range(
    low: int, high: int, first: int, second: int, expected: bool
) -> None:
    result = aggregate(make_instrument(low, high), [Answer(1, "c", first), Answer(2, "c", second)])
    c = result.question("c")
    assert c.spread == abs(second - first)
    assert c.disagreement is expected
    assert result.dimension("learning").disagreements == (("c",) if expected else ())
    assert is_disagreement(2, abs(second - first), Scale(low, high, {})) is expected


def test_discussion_points_break_ties_by_stdev_then_instrument_order() -> None:
    # a: 1, 3, 3 -> spread 2, pstdev sqrt(8/9); c: 1, 3 -> spread 2, pstdev 1; d: 1, 5 -> spread 4
    given = answers({"a": {1: 1, 2: 3, 3: 3}, "c": {1: 1, 2: 3}, "d": {1: 1, 2: 5}})
    result = aggregate(make_instrument(), given)
    assert result.question("a").stdev == pytest.approx(math.sqrt(8 / 9))
    assert [q.key for q in result.discussion_points] == ["d", "c", "a"]
    # equal spread and stdev: the order of the instrument decides
    same = aggregate(make_instrument(), answers({"c": {1: 1, 2: 3}, "a": {1: 1, 2: 3}}))
    assert [q.key for q in same.discussion_points] == ["a", "c"]


def test_respondents_are_counted_once_per_dimension_and_overall() -> None:
    given = [Answer(1, "a", 3), Answer(1, "b", 3), Answer(2, "b", 4), Answer(3, "c", 2)]
    result = aggregate(make_instrument(), given)
    assert result.dimension("speed").respondents == 2
    assert result.dimension("learning").respondents == 1
    assert result.respondents == 3


def test_named_respondents_count_like_members_and_apart_from_them() -> None:
    # Account 1, the name "1" and the name "Fiona Marsh" are three people; Fiona's second
    # answer to a replaces her first, as a member's would.
    given = [
        Answer(1, "a", 5),
        Answer("1", "a", 1),
        Answer("Fiona Marsh", "a", 2),
        Answer("Fiona Marsh", "a", 3),
        Answer("Fiona Marsh", "zz", 3),  # no such question: ignored, and not a respondent
        Answer("Tom Penrose", "zz", 4),
    ]
    result = aggregate(make_instrument(), given)
    assert result.respondents == 3
    assert result.named_respondents == 2
    assert result.ignored == 2
    # a: answers 5, 1, 3 -> mean 3, spread 4, flagged; score (3 - 1) / 4 x 100 = 50
    question = result.question("a")
    assert (question.respondents, question.mean, question.spread) == (3, 3.0, 4)
    assert question.disagreement and question.score == pytest.approx(50.0)
    members_only = aggregate(make_instrument(), [Answer(1, "a", 5), Answer(2, "a", 1)])
    assert members_only.named_respondents == 0 and members_only.respondents == 2


def test_result_lookups_raise_for_unknown_keys() -> None:
    result = aggregate(make_instrument(), [])
    with pytest.raises(KeyError):
        result.question("zz")
    with pytest.raises(KeyError):
        result.dimension("zz")


def test_weighted_mean() -> None:
    assert weighted_mean([]) is None
    assert weighted_mean([(10.0, 1.0), (40.0, 2.0)]) == pytest.approx(30.0)
    assert weighted_mean(iter([(5.0, 0.5)])) == 5.0


def test_answers_may_be_any_iterable() -> None:
    result = aggregate(make_instrument(), (a for a in answers(THREE_PEOPLE)))
    assert result.overall_score == pytest.approx(212.5 / 3)
