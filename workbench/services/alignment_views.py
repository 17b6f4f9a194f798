"""Views of the alignment analysis for the pages: gaps with names, the graph and the roadmap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

from sqlalchemy.orm import Session

from workbench.analysis.alignment import AlignmentReport, analyse
from workbench.analysis.alignment_records import AlignmentInput
from workbench.analysis.delivery import DeliveryFlag, plan_delivery
from workbench.analysis.roadmap import DependencyCycleError, roadmap_waves
from workbench.charts import plots
from workbench.charts.graph import Edge, Node
from workbench.charts.panels import objective_panels, panel_caption, panel_graph
from workbench.services.alignment import gather


@dataclass(frozen=True)
class Alignment:
    """The analysis with the records it came from, and name lookups for display."""

    data: AlignmentInput
    report: AlignmentReport
    initiative_titles: dict[int, str]
    objective_titles: dict[int, str]
    principle_names: dict[int, str]
    factor_titles: dict[int, str]
    metric_names: dict[int, str]


def alignment(session: Session) -> Alignment:
    """Gather the records and run the analysis."""
    data = gather(session)
    return Alignment(
        data=data,
        report=analyse(data),
        initiative_titles={i.id: i.title for i in data.initiatives},
        objective_titles={o.id: o.title for o in data.objectives},
        principle_names={p.id: p.name for p in data.principles},
        factor_titles={f.id: f.title for f in data.factors},
        metric_names={m.id: m.name for m in data.metrics},
    )


def graph_svg(view: Alignment, link: Callable[[str, int], str]) -> str:
    """Draw the alignment graph, one diagram per objective; `link(kind, id)` addresses nodes."""
    data, report = view.data, view.report
    unaligned = set(report.unaligned_initiatives)
    unserved = set(report.objectives_unserved)
    unaddressed = set(report.barriers_unaddressed)
    unapplied = set(report.principles_unapplied)
    factors = [
        Node(f"f{f.id}", f.title, f.polarity, link("factor", f.id), f.id in unaddressed)
        for f in data.factors
    ]
    initiatives = [
        Node(f"i{i.id}", i.title, "initiative", link("initiative", i.id), i.id in unaligned)
        for i in data.initiatives
        if i.status != "dropped"
    ]
    objectives = [
        Node(f"o{o.id}", o.title, "objective", link("objective", o.id), o.id in unserved)
        for o in data.objectives
    ]
    principles = [
        Node(f"p{p.id}", p.name, "principle", link("principle", p.id), p.id in unapplied)
        for p in data.principles
    ]
    edges = [Edge(f"f{lk.factor_id}", f"i{lk.initiative_id}") for lk in data.factor_links]
    edges += [
        Edge(f"i{lk.initiative_id}", f"o{lk.objective_id}", lk.contribution)
        for lk in data.objective_links
    ]
    edges += [Edge(f"i{lk.initiative_id}", f"p{lk.principle_id}") for lk in data.principle_links]
    # One small diagram per objective: the whole graph at once is too dense to follow.
    panels = objective_panels([*factors, *initiatives, *objectives, *principles], edges)
    count = sum(1 for panel in panels if panel.objective is not None)
    figures = []
    for number, panel in enumerate(panels, start=1):
        caption = panel_caption(panel, number, count)
        drawing = panel_graph(panel, f"Alignment graph. {caption}").render()
        figures.append(f"<figure><figcaption>{escape(caption)}</figcaption>{drawing}</figure>")
    return "".join(figures)


@dataclass(frozen=True)
class Roadmap:
    """Waves of the work still to come, what is delivered, delivery flags, or the loop."""

    waves: list[list[int]]
    cycle: DependencyCycleError | None
    timeline_uri: str | None
    delivered: list[int]
    flags: dict[int, tuple[DeliveryFlag, ...]]


def roadmap(view: Alignment, today: date, currency: str) -> Roadmap:
    """Compute the waves and flags of active work and draw the timeline of dated initiatives."""
    try:
        roadmap_waves(view.data)
        cycle = None
    except DependencyCycleError as error:
        cycle = error
    data = view.data
    plan = plan_delivery(data.initiatives, data.dependencies, today, currency, data.milestones)
    dated = [
        (i.title, i.start, i.end, i.status)
        for i in view.data.initiatives
        if i.start and i.end and i.status != "dropped"
    ]
    timeline = plots.data_uri(plots.timeline_svg(dated)) if dated else None
    return Roadmap(
        [] if cycle else [list(wave) for wave in plan.waves],
        cycle,
        timeline,
        list(plan.delivered),
        plan.flags,
    )
