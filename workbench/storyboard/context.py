"""The storyboard's report context: plain, JSON-serialisable data whose hash is the fingerprint.

Every number the report shows is computed here from the workspace; templates only lay it out.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis import economics as economics_model
from workbench.analysis.alignment_metrics import LOAD_FORMULA
from workbench.models import Change, Workspace
from workbench.models.vocabulary import CATEGORY_LABELS
from workbench.models.vocabulary import FRICTION_SEVERITY_LABELS as SEVERITY_LABELS
from workbench.services import assessment, economics, operating, organisation, playbook, scorecards
from workbench.services import processes as process_service
from workbench.services.alignment_views import alignment
from workbench.services.alignment_views import roadmap as roadmap_view

STATUS_LABELS = scorecards.STATUS_LABELS


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(float(value), places)


def _assessment_section(session: Session) -> dict[str, Any]:
    data = assessment.overview(session)
    v = data.viability
    factors = assessment.factor_service.list_factors(session)
    return {
        "verdict": v.verdict,
        "index": _round(v.index),
        "factor_score": _round(v.factor_score),
        "readiness_score": _round(v.readiness_score),
        "support": v.support,
        "resistance": v.resistance,
        "reasons": list(v.reasons),
        "heavy_barriers": list(v.heavy_barriers),
        "weak_dimensions": [[title, _round(score)] for title, score in v.weak_dimensions],
        "factor_count": len(factors),
        "balance": [list(row) for row in data.balance_rows],
        "factors": [
            {
                "title": f.title,
                "category": CATEGORY_LABELS[f.category],
                "polarity": f.polarity.value,
                "importance": f.importance,
            }
            for f in sorted(factors, key=lambda f: (-f.importance, f.title.lower()))
        ],
        "readiness": None
        if data.readiness is None
        else {
            "respondents": data.readiness.respondents,
            "overall": _round(data.readiness.overall_score),
            "dimensions": [[d.title, _round(d.score)] for d in data.readiness.dimensions],
            "discussion": [q.text for q in data.readiness.discussion_points],
        },
        "journey": [
            {
                "stage": s.name,
                "points": len(s.points),
                "heat": s.heat,
                "worst": s.worst,
                "worst_label": SEVERITY_LABELS.get(s.worst, "none"),
                "items": [p.description for p in s.points[:3]],
            }
            for s in data.stages
        ],
    }


def _graph(view: Any) -> dict[str, Any]:
    """The alignment graph as plain columns and edges; factors only where they matter."""
    data, report = view.data, view.report
    unaddressed = set(report.barriers_unaddressed)
    linked = {lk.factor_id for lk in data.factor_links}
    factors = [
        [f"f{f.id}", f.title, f.polarity, f.id in unaddressed]
        for f in data.factors
        if f.id in linked or f.id in unaddressed
    ]
    initiatives = [
        [f"i{i.id}", i.title, "initiative", i.id in set(report.unaligned_initiatives)]
        for i in data.initiatives
        if i.status != "dropped"
    ]
    objectives = [
        [f"o{o.id}", o.title, "objective", o.id in set(report.objectives_unserved)]
        for o in data.objectives
    ]
    principles = [
        [f"p{p.id}", p.name, "principle", p.id in set(report.principles_unapplied)]
        for p in data.principles
    ]
    edges = [[f"f{lk.factor_id}", f"i{lk.initiative_id}", ""] for lk in data.factor_links]
    edges += [
        [f"i{lk.initiative_id}", f"o{lk.objective_id}", lk.contribution]
        for lk in data.objective_links
    ]
    edges += [[f"i{lk.initiative_id}", f"p{lk.principle_id}", ""] for lk in data.principle_links]
    return {
        "columns": [
            ["Factors", factors],
            ["Initiatives", initiatives],
            ["Objectives", objectives],
            ["TQM principles", principles],
        ],
        "edges": edges,
    }


def _alignment_section(session: Session) -> dict[str, Any]:
    view = alignment(session)
    report = view.report
    data = view.data
    principles = [p.name for p in data.principles]
    active = [i for i in data.initiatives if i.status != "dropped"]
    applied = {(link.initiative_id, link.principle_id) for link in data.principle_links}
    contributions = {
        (lk.initiative_id, lk.objective_id): lk.contribution for lk in data.objective_links
    }
    plan = roadmap_view(view)
    titles = view.initiative_titles
    return {
        "score": _round(report.score),
        "score_formula": report.score_formula,
        "components": [
            [
                c.label,
                _round(c.numerator, 2),
                c.denominator,
                None if c.value is None else round(c.value * 100),
            ]
            for c in report.score_components
        ],
        "objectives": [
            {"title": o.title, "perspective": o.perspective.replace("_", " ")}
            for o in data.objectives
        ],
        "initiatives": [
            {
                "title": i.title,
                "department": i.department,
                "status": i.status.replace("_", " "),
                "budget": _round(i.budget, 0),
                "spend": _round(i.spend, 0),
                "approach": i.approach or "",
                "objectives": sum(1 for o in data.objectives if (i.id, o.id) in contributions),
            }
            for i in data.initiatives
        ],
        "matrix": {
            "objectives": [o.title for o in data.objectives],
            "rows": [
                [i.title, [contributions.get((i.id, o.id), "") for o in data.objectives]]
                for i in active
            ],
        },
        "principles": {
            "names": principles,
            "rows": [[i.title, [(i.id, p.id) in applied for p in data.principles]] for i in active],
        },
        "gaps": {
            "unaligned": [titles[i] for i in report.unaligned_initiatives],
            "unserved": [view.objective_titles[o] for o in report.objectives_unserved],
            "barriers": [view.factor_titles[f] for f in report.barriers_unaddressed],
            "principles": [view.principle_names[p] for p in report.principles_unapplied],
            "without_metrics": [view.objective_titles[o] for o in report.objectives_without_metrics]
            if data.metrics
            else [],
            "without_goals": [view.metric_names[m] for m in report.metrics_without_goals],
        },
        "load_bearing": [[lb.title, round(lb.load, 2)] for lb in report.load_bearing[:5]],
        "load_formula": LOAD_FORMULA,
        "budget": {
            "total": _round(report.budget.total.budget, 0),
            "spend": _round(report.budget.total.spend, 0),
            "by_department": [
                [b.label, _round(b.budget, 0), _round(b.spend, 0)]
                for b in report.budget.by_department
            ],
        },
        "graph": _graph(view),
        "waves": [[titles[i] for i in wave] for wave in plan.waves],
        "cycle": plan.cycle.message if plan.cycle else None,
        "timeline": [
            [i.title, i.start.isoformat(), i.end.isoformat(), i.status]
            for i in active
            if i.start and i.end
        ],
    }


def _operating_section(session: Session) -> dict[str, Any]:
    canvas = operating.canvas(session)
    processes = []
    for process in process_service.list_processes(session):
        steps = process_service.steps_of(session, process.id)
        cells = process_service.assignments(session, process.id)
        people = sorted({pid for _s, pid in cells}, key=lambda pid: pid)
        names = {s.id: s.name for s in canvas.stakeholders}
        processes.append(
            {
                "name": process.name,
                "people": [names.get(pid, "?") for pid in people],
                "rows": [
                    [
                        f"{s.position}. {s.name}",
                        [cells[(s.id, pid)].role if (s.id, pid) in cells else "" for pid in people],
                    ]
                    for s in steps
                ],
                "violations": [
                    v.message for v in process_service.raci_report(session, process.id).violations
                ],
            }
        )
    diff = organisation.diff(session)
    return {
        "needs": [f.title for f in canvas.needs],
        "drivers": [f.title for f in canvas.drivers],
        "environment": [f.title for f in canvas.environment],
        "challenges": [i.title for i in canvas.challenges],
        "opportunities": [i.title for i in canvas.opportunities],
        "stakeholders": [
            [s.name, s.kind, s.interest, s.influence, operating.quadrant(s.interest, s.influence)]
            for s in canvas.stakeholders
        ],
        "processes": processes,
        "target": [[u.name, depth] for u, depth in organisation.tree(session, "target")],
        "changes": [[c.kind, c.name, c.detail] for c in diff.changes],
        "scenarios": [
            {
                "name": v.scenario.name,
                "severity": v.scenario.severity,
                "foreseeable": v.scenario.foreseeable,
                "responder": v.scenario.responder,
                "message": v.scenario.customer_message,
                "minutes": v.scenario.target_response_minutes,
                "compensation": v.scenario.compensation_type.replace("_", " "),
                "amount": v.scenario.compensation_amount,
                "currency": v.scenario.currency or "",
                "limit": v.scenario.escalation_limit,
                "flags": list(v.flags),
            }
            for v in playbook.views(session)
        ],
    }


def _metrics_section(session: Session, today: date) -> dict[str, Any]:
    departments = []
    for summary in scorecards.by_department(scorecards.cards(session, today)):
        metrics = []
        for card in summary.cards:
            goal = card.goal
            metrics.append(
                {
                    "name": card.metric.name,
                    "unit": card.metric.unit,
                    "direction": card.metric.direction.value,
                    "latest": _round(card.latest, 2),
                    "baseline": _round(goal.baseline, 2) if goal else None,
                    "target": _round(goal.target, 2) if goal else None,
                    "target_date": goal.target_date.isoformat()
                    if goal and goal.target_date
                    else None,
                    "baseline_date": (
                        goal.baseline_date.isoformat() if goal and goal.baseline_date else None
                    ),
                    "status": card.status_key,
                    "status_label": STATUS_LABELS[card.status_key],
                    "progress": (
                        round(card.status.progress * 100)
                        if card.status and card.status.progress is not None
                        else None
                    ),
                    "points": [[m.measured_on.isoformat(), m.value] for m in card.measurements],
                }
            )
        departments.append(
            {
                "name": summary.name or "No department",
                "metrics": metrics,
                "counts": dict(summary.counts),
            }
        )
    inputs, result, version, currency = economics.result(session)
    return {
        "departments": departments,
        "economics": {
            "saved": version > 0,
            "currency": currency,
            "inputs": {name: getattr(inputs, name) for name in economics_model.input_names()},
            "customers_retained": round(result.customers_retained),
            "revenue_retained": round(result.revenue_retained),
            "programme_cost": round(result.programme_cost),
            "net_benefit": round(result.net_benefit),
            "roi": None if result.roi is None else round(result.roi * 100),
            "break_even_rate": (
                None
                if result.break_even_recovery_rate is None
                else round(result.break_even_recovery_rate * 100)
            ),
        },
    }


def _changes(session: Session) -> dict[str, Any]:
    rows = session.execute(
        select(Change.entity, func.count(Change.id)).group_by(Change.entity)
    ).all()
    last = session.scalar(select(func.max(Change.changed_at)))
    return {
        "by_entity": sorted([[entity, count] for entity, count in rows]),
        "last_change": last.isoformat(timespec="minutes") if last else None,
    }


def build_context(session: Session, workspace: Workspace, today: date) -> dict[str, Any]:
    """Gather everything the storyboard shows, as plain JSON-serialisable values."""
    context = {
        "workspace": {
            "name": workspace.name,
            "industry": workspace.industry,
            "purpose": workspace.purpose,
            "vision": workspace.vision,
            "mission": workspace.mission,
            "values": workspace.values,
            "corporate_goals": workspace.corporate_goals,
            "current_state": workspace.current_state,
            "future_state": workspace.future_state,
            "analyst_perspective": workspace.analyst_perspective,
            "executive_summary": workspace.executive_summary,
        },
        "as_of": today.isoformat(),
        "assessment": _assessment_section(session),
        "alignment": _alignment_section(session),
        "operating": _operating_section(session),
        "metrics": _metrics_section(session, today),
        "changes": _changes(session),
    }
    # Round-trip through JSON so the context is provably plain data.
    return json.loads(json.dumps(context, ensure_ascii=False, sort_keys=True))


def fingerprint(context: dict[str, Any]) -> str:
    """Return the SHA-256 of the context's canonical JSON."""
    text = json.dumps(context, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


SECTIONS = ("workspace", "assessment", "alignment", "operating", "metrics")


def section_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, bool]]:
    """Say, section by section, whether two contexts differ."""
    return [(name, old.get(name) != new.get(name)) for name in SECTIONS]
