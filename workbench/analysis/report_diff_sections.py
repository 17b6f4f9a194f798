"""The version comparison section by section: which rows and figures each part reports on.

Each function takes one section of the old and the new plain report context and yields
sentences; the order puts headline figures first, then rows added or removed, then rows
whose fields changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workbench.analysis.report_diff_format import (
    Change,
    Rows,
    amount,
    as_list,
    as_map,
    common,
    count_change,
    day,
    field,
    measure,
    moved,
    named_change,
    named_rows,
    plain,
    row_fields,
    rows_added_removed,
    same,
    score,
    short_value,
    text_fields,
)

Section = Mapping[str, Any]

STRATEGY_TEXTS = (
    ("purpose", "purpose"),
    ("vision", "vision"),
    ("mission", "mission"),
    ("values", "values"),
    ("corporate_goals", "corporate goals"),
    ("current_state", "description of the current state"),
    ("future_state", "description of the future state"),
    ("analyst_perspective", "analyst's perspective"),
    ("executive_summary", "executive summary"),
)


def strategy_changes(old: Section, new: Section, _currency: str) -> Iterable[Change]:
    """The organisation's name and industry, and which strategy texts were rewritten."""
    if old.get("name") and new.get("name"):
        yield from short_value("Name of the organisation", old.get("name"), new.get("name"))
    yield from short_value("Industry", old.get("industry"), new.get("industry"))
    yield from text_fields(old, new, STRATEGY_TEXTS)


def assessment_changes(old: Section, new: Section, _currency: str) -> Iterable[Change]:
    """Verdict, index and scores, factors, readiness respondents and friction by stage."""
    yield from short_value("Verdict", old.get("verdict"), new.get("verdict"))
    yield from score("Viability index", old.get("index"), new.get("index"))
    yield from score("Factor score", old.get("factor_score"), new.get("factor_score"))
    yield from score("Readiness score", old.get("readiness_score"), new.get("readiness_score"))
    factors_old, factors_new = named_rows(old.get("factors")), named_rows(new.get("factors"))
    yield from rows_added_removed("factor", factors_old, factors_new)
    yield from row_fields(
        factors_old,
        factors_new,
        (("importance", "Importance", plain), ("polarity", "Polarity", plain)),
    )
    readiness_old, readiness_new = common(old.get("readiness"), new.get("readiness"))
    was, now = readiness_old.get("respondents"), readiness_new.get("respondents")
    if not same(was, now) and readiness_old:
        yield moved(
            "People who answered the readiness questionnaire",
            "went",
            plain(was or 0),
            plain(now or 0),
        )
    stages_old, stages_new = named_rows(old.get("journey")), named_rows(new.get("journey"))
    for stage, row in stages_new.items():
        before, after = field(stages_old.get(stage), "points", 1), field(row, "points", 1)
        if stage in stages_old and not same(before, after):
            yield moved(
                f"Friction points at the '{stage}' stage", "went", plain(before), plain(after)
            )


def _dates(title: str, before: Any, after: Any) -> Iterable[Change]:
    """A roadmap bar whose start or end moved."""
    for key, index, label in (("start", 1, "Start"), ("end", 2, "End")):
        was, now = field(before, key, index), field(after, key, index)
        if was and now and not same(was, now):
            yield moved(f"{label} of '{title}'", "moved", day(was), day(now))


def _contributions(old: Section, new: Section) -> Iterable[Change]:
    """Cells of the initiatives-by-objectives matrix that changed, for rows in both."""
    before, after = common(old.get("matrix"), new.get("matrix"))
    columns_old, columns_new = as_list(before.get("objectives")), as_list(after.get("objectives"))
    rows_old, rows_new = named_rows(before.get("rows")), named_rows(after.get("rows"))
    for title, row in rows_new.items():
        if title not in rows_old:
            continue
        cells_old, cells_new = as_list(field(rows_old[title], 1)), as_list(field(row, 1))
        for position, objective in enumerate(columns_new):
            if objective not in columns_old or position >= len(cells_new):
                continue
            index_old = columns_old.index(objective)
            was = cells_old[index_old] if index_old < len(cells_old) else None
            now = cells_new[position]
            if not same(was, now):
                subject = f"Contribution of '{title}' to '{objective}'"
                yield moved(subject, "changed", plain(was), plain(now))


def _initiatives_in_and_out(
    old: Section, new: Section, initiatives_old: Rows, initiatives_new: Rows
) -> Iterable[Change]:
    """Initiatives added, removed, dropped (listed apart since) or taken up again."""
    dropped_old, dropped_new = named_rows(old.get("dropped")), named_rows(new.get("dropped"))
    gone = [name for name in initiatives_old if name not in initiatives_new]
    came = [name for name in initiatives_new if name not in initiatives_old]
    yield from named_change("initiative", [n for n in came if n not in dropped_old], "added")
    yield from named_change("initiative", [n for n in gone if n not in dropped_new], "removed")
    yield from named_change("initiative", [n for n in gone if n in dropped_new], "dropped")
    yield from named_change("initiative", [n for n in came if n in dropped_old], "taken up again")


def alignment_changes(old: Section, new: Section, currency: str) -> Iterable[Change]:
    """Score, total budget, objectives and initiatives with their budgets, status and dates."""
    yield from score("Alignment score", old.get("score"), new.get("score"))
    budget_old, budget_new = common(old.get("budget"), new.get("budget"))
    yield from amount("Total budget", budget_old.get("total"), budget_new.get("total"), currency)
    objectives_old = named_rows(old.get("objectives"))
    objectives_new = named_rows(new.get("objectives"))
    yield from rows_added_removed("objective", objectives_old, objectives_new)
    initiatives_old = named_rows(old.get("initiatives"))
    initiatives_new = named_rows(new.get("initiatives"))
    yield from _initiatives_in_and_out(old, new, initiatives_old, initiatives_new)
    for title, row in initiatives_new.items():
        if title in initiatives_old:
            before = initiatives_old[title]
            yield from amount(
                f"Budget of '{title}'", field(before, "budget"), field(row, "budget"), currency
            )
    yield from row_fields(
        initiatives_old,
        initiatives_new,
        (
            ("status", "Status", plain),
            ("department", "Department", plain),
            ("owner", "Owner", plain),
        ),
    )
    for title, row in initiatives_new.items():
        if title in initiatives_old:
            yield from _dates(title, initiatives_old[title], row)
    timeline_old, timeline_new = named_rows(old.get("timeline")), named_rows(new.get("timeline"))
    for title, bar in timeline_new.items():
        if title in timeline_old:
            yield from _dates(title, timeline_old[title], bar)
    yield from row_fields(
        objectives_old,
        objectives_new,
        (
            ("perspective", "Perspective", plain),
            ("owner", "Owner", plain),
            ("due", "Due date", lambda value: day(value) if value else "none"),
        ),
    )
    yield from _contributions(old, new)
    for title, row in initiatives_new.items():
        if title in initiatives_old:
            before = initiatives_old[title]
            yield from amount(
                f"Spend on '{title}'", field(before, "spend"), field(row, "spend"), currency
            )
    gaps_old, gaps_new = common(old.get("gaps"), new.get("gaps"))
    for key, label in (
        ("unaligned", "Initiatives serving no objective"),
        ("unserved", "Objectives nothing serves"),
        ("barriers", "Barriers nobody addresses"),
    ):
        yield from count_change(label, gaps_old.get(key), gaps_new.get(key))
    yield from count_change("Roadmap waves", old.get("waves"), new.get("waves"))


def _cards(section: Section) -> dict[str, Any]:
    """Every metric card of every department, by name."""
    cards: list[Any] = []
    for department in as_list(section.get("departments")):
        cards.extend(as_list(as_map(department).get("metrics")))
    return named_rows(cards)


def _metric_values(title: str, old: Any, new: Any, currency: str) -> Iterable[Change]:
    before, after = common(old, new)
    unit = field(after, "unit")
    for key, label, verb in (
        ("latest", f"Latest value of '{title}'", ""),
        ("target", f"Goal of '{title}' target", "moved"),
        ("baseline", f"Baseline of '{title}'", "moved"),
    ):
        was, now = field(before, key), field(after, key)
        if same(was, now):
            continue
        shown_was, shown_now = measure(was, unit, currency), measure(now, unit, currency)
        numbers = isinstance(was, int | float) and isinstance(now, int | float)
        if not verb:
            verb = ("rose" if now > was else "fell") if numbers else "changed"
        yield moved(label, verb, shown_was, shown_now)
    was, now = field(before, "target_date"), field(after, "target_date")
    if not same(was, now):
        shown_was, shown_now = (day(v) if v else "none" for v in (was, now))
        yield moved(f"Goal date of '{title}'", "moved", shown_was, shown_now)
    was, now = field(before, "status_label"), field(after, "status_label")
    if not same(was, now):
        yield moved(f"Status of '{title}'", "changed", plain(was).lower(), plain(now).lower())


def metric_changes(old: Section, new: Section, currency: str) -> Iterable[Change]:
    """Metrics added or removed, their values, goals and status, and the economics."""
    cards_old, cards_new = _cards(old), _cards(new)
    yield from rows_added_removed("metric", cards_old, cards_new)
    for title, card in cards_new.items():
        if title in cards_old:
            yield from _metric_values(title, cards_old[title], card, currency)
    before, after = common(old.get("economics"), new.get("economics"))
    if before.get("saved") is False and after.get("saved") is True:
        yield Change("The economics now use the team's own figures instead of illustrative ones")
    elif before.get("saved") is True and after.get("saved") is False:
        yield Change("The economics went back to illustrative figures")
    yield from score("Return on the programme's cost", before.get("roi"), after.get("roi"), "%")
    yield from score(
        "Recovery rate today", before.get("current_rate"), after.get("current_rate"), "%"
    )
    for key, label in (
        ("programme_cost", "Programme cost"),
        ("revenue_retained", "Lifetime value of the customers kept"),
    ):
        yield from amount(label, before.get(key), after.get(key), currency)
    yield from score(
        "Break-even recovery rate", before.get("break_even_rate"), after.get("break_even_rate"), "%"
    )


def decision_changes(old: Section, new: Section, _currency: str) -> Iterable[Change]:
    """Open decisions that appeared or closed, by what they are about.

    A decision is known by its area and subject: its wording moves with the calendar
    ("due 3 days ago") and its owner may change, yet it is the same decision.
    """

    def by_subject(rows: Any) -> dict[tuple[str, str], str]:
        found: dict[tuple[str, str], str] = {}
        for row in as_list(rows):
            area, subject = field(row, "area", 0), field(row, "subject", 1)
            if isinstance(subject, str):
                found.setdefault((str(area), subject), subject)
        return found

    before, after = by_subject(old.get("rows")), by_subject(new.get("rows"))
    added = [subject for key, subject in after.items() if key not in before]
    closed = [subject for key, subject in before.items() if key not in after]
    yield from named_change("open decision", added, "added")
    yield from named_change("open decision", closed, "closed")


def risk_changes(old: Section, new: Section, _currency: str) -> Iterable[Change]:
    """Risks added or removed, and each risk's rating, owner, status, review and mitigation."""
    yield from score("Overdue risk reviews", old.get("overdue"), new.get("overdue"))
    risks_old, risks_new = named_rows(old.get("rows")), named_rows(new.get("rows"))
    yield from rows_added_removed("risk", risks_old, risks_new)
    yield from row_fields(
        risks_old,
        risks_new,
        (
            ("rating", "Rating", plain),
            ("score", "Score", plain),
            ("status", "Status", plain),
            ("owner", "Owner", plain),
            ("review", "Next review", day),
            ("initiatives", "Initiatives mitigating '{name}'", plain),
        ),
    )
