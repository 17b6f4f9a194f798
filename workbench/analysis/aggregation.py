"""How the answers a workshop gives to an instrument become scores.

These rules are shown to the people using the workbench:

1. Answers that cannot count are set aside. An answer to a question the instrument
   does not hold, or whose value is not a whole number on the instrument's scale, is
   ignored, and the number ignored is reported.
2. One answer per person per question. When a respondent answers the same question
   more than once, their last valid answer (in the order the answers were given)
   replaces the earlier ones. Members and respondents known only by a name (whose
   answers came with a restored backup or an imported workbook) count alike.
3. Reverse-scored questions describe a weakness, such as "Customers usually have to
   chase us for an answer". For these, an answer v is scored as min + max - v, so
   agreeing lowers the score. The mean, lowest, highest, spread and standard
   deviation shown for a question are those of the answers as given.
4. Question score = (mean - min) / (max - min) x 100, using the scored values: 0 when
   everyone chose the weakest point of the scale, 100 when everyone chose the best.
5. Dimension score = the mean of the scores of its answered questions, each weighted
   by the question's weight. A dimension with no answered question has no score.
6. Overall score = the mean of the dimension scores that exist, each weighted by the
   dimension's weight. With no valid answers at all there is no overall score.
7. Disagreement: a question is flagged when at least two people answered it and the
   spread (highest answer minus lowest) is at least half the range of the scale. On a
   1 to 5 scale that means a spread of 2 or more. A single respondent is never flagged.
8. Discussion points are the flagged questions, widest spread first; ties go to the
   larger standard deviation, then to the order of the questions in the instrument.
9. Nothing is rounded here: figures are rounded only when they are displayed.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.analysis.instruments import Instrument, Question, Scale


@dataclass(frozen=True)
class Answer:
    """One respondent's rating of one question.

    `respondent` tells people apart: a member's account id, or the name of a respondent
    known only by a name. Account 12 and a person named "12" are two respondents.
    """

    respondent: int | str
    question_key: str
    value: int


@dataclass(frozen=True)
class QuestionResult:
    """The answers to one question, summarised; None everywhere when nobody answered."""

    key: str
    text: str
    respondents: int
    mean: float | None
    minimum: int | None
    maximum: int | None
    spread: int | None
    stdev: float | None
    disagreement: bool
    score: float | None
    dimension_key: str = ""
    reverse: bool = False


@dataclass(frozen=True)
class DimensionResult:
    """The score of one dimension, with how much of it was answered."""

    key: str
    title: str
    score: float | None
    answered_questions: int
    total_questions: int
    respondents: int
    disagreements: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentResult:
    """The whole instrument's results: per question, per dimension and overall."""

    instrument_key: str
    dimensions: tuple[DimensionResult, ...]
    questions: tuple[QuestionResult, ...]
    overall_score: float | None
    respondents: int
    discussion_points: tuple[QuestionResult, ...]
    ignored: int = 0
    # Of the respondents, those known only by a name (not members of the workspace).
    named_respondents: int = 0

    def dimension(self, key: str) -> DimensionResult:
        """Return the result of one dimension, or raise KeyError."""
        for result in self.dimensions:
            if result.key == key:
                return result
        raise KeyError(key)

    def question(self, key: str) -> QuestionResult:
        """Return the result of one question, or raise KeyError."""
        for result in self.questions:
            if result.key == key:
                return result
        raise KeyError(key)


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Return the mean of (value, weight) pairs weighted by weight, or None when there are none."""
    items = list(pairs)
    total_weight = math.fsum(weight for _, weight in items)
    if not items or total_weight <= 0:
        return None
    return math.fsum(value * weight for value, weight in items) / total_weight


def is_disagreement(respondents: int, spread: int, scale: Scale) -> bool:
    """Return whether answers differ enough to discuss: two or more people, spread >= range/2."""
    return respondents >= 2 and 2 * spread >= scale.range


def summarise_question(
    question: Question, values: Sequence[int], scale: Scale, dimension_key: str = ""
) -> QuestionResult:
    """Summarise the valid answers (one per respondent) given to one question."""
    if not values:
        return QuestionResult(
            key=question.key,
            text=question.text,
            respondents=0,
            mean=None,
            minimum=None,
            maximum=None,
            spread=None,
            stdev=None,
            disagreement=False,
            score=None,
            dimension_key=dimension_key,
            reverse=question.reverse,
        )
    mean = statistics.fmean(values)
    lowest, highest = min(values), max(values)
    scored_mean = scale.min + scale.max - mean if question.reverse else mean
    return QuestionResult(
        key=question.key,
        text=question.text,
        respondents=len(values),
        mean=mean,
        minimum=lowest,
        maximum=highest,
        spread=highest - lowest,
        stdev=statistics.pstdev(values),
        disagreement=is_disagreement(len(values), highest - lowest, scale),
        score=(scored_mean - scale.min) / scale.range * 100,
        dimension_key=dimension_key,
        reverse=question.reverse,
    )


def latest_answers(
    instrument: Instrument, answers: Iterable[Answer]
) -> tuple[dict[tuple[int | str, str], int], int]:
    """Return the last valid value per (respondent, question), and how many answers were ignored."""
    known = {question.key for question in instrument.questions()}
    latest: dict[tuple[int | str, str], int] = {}
    ignored = 0
    for answer in answers:
        if answer.question_key not in known or not instrument.scale.contains(answer.value):
            ignored += 1
            continue
        latest[(answer.respondent, answer.question_key)] = answer.value
    return latest, ignored


def aggregate(instrument: Instrument, answers: Iterable[Answer]) -> InstrumentResult:
    """Score an instrument from its answers, following the rules in this module's docstring."""
    latest, ignored = latest_answers(instrument, answers)
    values: dict[str, list[int]] = {question.key: [] for question in instrument.questions()}
    people: dict[str, set[int | str]] = {question.key: set() for question in instrument.questions()}
    for (respondent, question_key), value in latest.items():
        values[question_key].append(value)
        people[question_key].add(respondent)

    question_results: list[QuestionResult] = []
    dimension_results: list[DimensionResult] = []
    for dimension in instrument.dimensions:
        results = [
            summarise_question(question, values[question.key], instrument.scale, dimension.key)
            for question in dimension.questions
        ]
        question_results.extend(results)
        score = weighted_mean(
            (result.score, question.weight)
            for result, question in zip(results, dimension.questions, strict=True)
            if result.score is not None
        )
        respondents = set().union(*(people[question.key] for question in dimension.questions))
        dimension_results.append(
            DimensionResult(
                key=dimension.key,
                title=dimension.title,
                score=score,
                answered_questions=sum(1 for result in results if result.respondents),
                total_questions=len(results),
                respondents=len(respondents),
                disagreements=tuple(result.key for result in results if result.disagreement),
            )
        )

    overall = weighted_mean(
        (result.score, dimension.weight)
        for result, dimension in zip(dimension_results, instrument.dimensions, strict=True)
        if result.score is not None
    )
    order = {result.key: number for number, result in enumerate(question_results)}
    flagged = [result for result in question_results if result.disagreement]
    flagged.sort(key=lambda r: (-(r.spread or 0), -(r.stdev or 0.0), order[r.key]))
    return InstrumentResult(
        instrument_key=instrument.key,
        dimensions=tuple(dimension_results),
        questions=tuple(question_results),
        overall_score=overall,
        respondents=len({respondent for respondent, _ in latest}),
        discussion_points=tuple(flagged),
        ignored=ignored,
        named_respondents=len({r for r, _ in latest if isinstance(r, str)}),
    )
