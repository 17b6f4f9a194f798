"""The roadmap page and the overview's delivery panel: waves, flags, the critical path and
the programme end, read from the records the alignment analysis already holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy.orm import Session

from workbench.analysis.alignment_records import AlignmentInput, Dependency, InitiativeRecord
from workbench.analysis.critical_path import CriticalPath, critical_path
from workbench.analysis.delivery import LATE, NOT_STARTED, DeliveryFlag, plan_delivery
from workbench.analysis.roadmap import DependencyCycleError, roadmap_waves
from workbench.charts.roadmap import RoadmapBar, roadmap_svg
from workbench.services.alignment import gather
from workbench.services.alignment_views import Alignment
from workbench.services.report_values import EarliestRow, TimelineBar

DONE = "done"


def schedule(data: AlignmentInput) -> CriticalPath | None:
    """The critical path of the plan, or None while a dependency loop makes one impossible."""
    try:
        return critical_path(data.initiatives, data.dependencies)
    except ValueError:
        return None


def chart_bars(initiatives: Sequence[InitiativeRecord]) -> list[RoadmapBar]:
    """The active initiatives with both dates, as bars keyed by initiative id."""
    return [
        RoadmapBar(i.id, i.title, i.start, i.end, i.status)
        for i in initiatives
        if i.active and i.start and i.end
    ]


def chart_links(dependencies: Sequence[Dependency]) -> list[tuple[int, int]]:
    """Each dependency as (prerequisite id, dependant id)."""
    return [(link.depends_on_id, link.initiative_id) for link in dependencies]


@dataclass(frozen=True)
class WaveView:
    """A wave of work still to come, with the span of its planned dates."""

    ids: list[int]
    start: date | None
    end: date | None
    partly_undated: bool  # some of its initiatives lack a start or an end date


@dataclass(frozen=True)
class EarliestStart:
    """A start the dependencies allow, for work planned to start before they do."""

    day: date
    finish: date  # where the end moves to, keeping the planned duration
    after: str  # the title of the prerequisite whose finish holds it back


@dataclass(frozen=True)
class ScheduleRow:
    """One dated initiative in the slack table."""

    id: int
    title: str
    status: str
    start: date
    end: date
    slack_days: int
    finish_by: date  # the latest finish that keeps the programme end
    on_chain: bool
    done: bool


@dataclass(frozen=True)
class Roadmap:
    """Everything the roadmap page shows, or the loop that prevents an order."""

    waves: list[WaveView]
    cycle: DependencyCycleError | None
    chart_svg: str | None
    delivered: list[int]
    flags: dict[int, tuple[DeliveryFlag, ...]]
    chain: list[int]
    programme_end: date | None
    rows: list[ScheduleRow]
    undated: list[int]
    earliest: dict[int, EarliestStart]


def _span(ids: Sequence[int], by_id: dict[int, InitiativeRecord]) -> WaveView:
    starts = [day for i in ids if (day := by_id[i].start)]
    ends = [day for i in ids if (day := by_id[i].end)]
    return WaveView(
        list(ids),
        min(starts, default=None),
        max(ends, default=None),
        any(by_id[i].start is None or by_id[i].end is None for i in ids),
    )


def roadmap(view: Alignment, today: date, currency: str) -> Roadmap:
    """Waves, flags, the critical path with slack, and the roadmap chart as of `today`."""
    data = view.data
    try:
        roadmap_waves(data)
        cycle = None
    except DependencyCycleError as error:
        cycle = error
    plan = plan_delivery(data.initiatives, data.dependencies, today, currency, data.milestones)
    by_id = {i.id: i for i in data.initiatives}
    path = None if cycle else schedule(data)
    bars = chart_bars(data.initiatives)
    chart = (
        roadmap_svg(bars, chart_links(data.dependencies), path.chain if path else (), today)
        if bars
        else None
    )
    chain = list(path.chain) if path else []
    rows = [
        ScheduleRow(
            id=key,
            title=by_id[key].title,
            status=by_id[key].status.replace("_", " "),
            start=item.planned_start,
            end=item.planned_end,
            slack_days=item.slack_days,
            finish_by=item.latest_finish,
            on_chain=key in chain,
            done=item.done,
        )
        for key, item in (path.schedule.items() if path else ())
    ]
    earliest = {
        key: EarliestStart(item.earliest_start, item.earliest_finish, by_id[item.held_by].title)
        for key, item in (path.pushed.items() if path else ())
        if item.held_by is not None
    }
    return Roadmap(
        waves=[] if cycle else [_span(wave, by_id) for wave in plan.waves],
        cycle=cycle,
        chart_svg=chart,
        delivered=list(plan.delivered),
        flags=plan.flags,
        chain=chain,
        programme_end=path.programme_end if path else None,
        rows=sorted(rows, key=lambda r: (r.done, r.slack_days, r.start, r.title)),
        undated=list(path.undated) if path else [],
        earliest=earliest,
    )


@dataclass(frozen=True)
class FlaggedInitiative:
    """An initiative needing re-planning, with the short names of its flags."""

    id: int
    title: str
    labels: list[str]


@dataclass(frozen=True)
class DeliveryPanel:
    """The overview's delivery figures: counts by flag, who is flagged, the programme end."""

    initiatives: int  # active (not dropped)
    done: int
    late: int
    not_started: int
    other: int  # initiatives flagged for any other reason
    programme_end: date | None
    chain: list[str]
    flagged: list[FlaggedInitiative]


def _flagged(
    data: AlignmentInput, flags: dict[int, tuple[DeliveryFlag, ...]]
) -> list[FlaggedInitiative]:
    # Late work first, then work not started, then the rest, each in the list's own order.
    def urgency(kinds: set[str]) -> int:
        return 0 if LATE in kinds else 1 if NOT_STARTED in kinds else 2

    found = [
        (urgency({f.kind for f in flags[i.id]}), index, i)
        for index, i in enumerate(data.initiatives)
        if flags.get(i.id)
    ]
    return [
        FlaggedInitiative(i.id, i.title, list(dict.fromkeys(f.label for f in flags[i.id])))
        for _, _, i in sorted(found, key=lambda item: item[:2])
    ]


def delivery_panel(session: Session, today: date, currency: str) -> DeliveryPanel:
    """Count the delivery flags of the workspace and find its programme end (fixed queries)."""
    data = gather(session)
    active = [i for i in data.initiatives if i.active]
    plan = plan_delivery(data.initiatives, data.dependencies, today, currency, data.milestones)
    path = schedule(data)
    titles = {i.id: i.title for i in data.initiatives}
    return DeliveryPanel(
        initiatives=len(active),
        done=len(plan.delivered),
        late=plan.count(LATE),
        not_started=plan.count(NOT_STARTED),
        other=sum(
            1
            for flags in plan.flags.values()
            if any(f.kind not in (LATE, NOT_STARTED) for f in flags)
        ),
        programme_end=path.programme_end if path else None,
        chain=[titles[i] for i in path.chain] if path else [],
        flagged=_flagged(data, plan.flags),
    )


class ReportRoadmap(NamedTuple):
    """The storyboard's roadmap fields; dependencies and chain as positions in `timeline`."""

    timeline: tuple[TimelineBar, ...]
    links: tuple[tuple[int, int], ...]
    chain: tuple[int, ...]
    programme_end: str | None
    earliest: tuple[EarliestRow, ...]


def report_roadmap(data: AlignmentInput, path: CriticalPath | None) -> ReportRoadmap:
    """The roadmap chart's data and the critical path for the storyboard, as plain values."""
    bars = chart_bars(data.initiatives)
    position = {bar.key: index for index, bar in enumerate(bars)}
    titles = {i.id: i.title for i in data.initiatives}
    return ReportRoadmap(
        timeline=tuple(
            TimelineBar(bar.title, bar.start.isoformat(), bar.end.isoformat(), bar.status)
            for bar in bars
        ),
        links=tuple(
            sorted(
                (position[a], position[b])
                for a, b in chart_links(data.dependencies)
                if a in position and b in position
            )
        ),
        chain=tuple(position[i] for i in path.chain) if path else (),
        programme_end=path.programme_end.isoformat() if path and path.programme_end else None,
        earliest=tuple(
            EarliestRow(titles[key], item.earliest_start.isoformat(), titles[item.held_by])
            for key, item in (path.pushed.items() if path else ())
            if item.held_by is not None
        ),
    )
