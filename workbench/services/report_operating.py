"""Report-context reads for the assessment, operating-model and metric tables of the storyboard.

Gaps in the playbook and the RACI tables are not printed as editing instructions: they
become open points, each phrased as a decision for the person the data makes responsible.
Every read here is one query whatever the number of rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.aggregation import Answer, aggregate
from workbench.analysis.decisions import OpenPoint
from workbench.analysis.measures import format_measure
from workbench.analysis.raci import join_names
from workbench.analysis.response_target import slow_target_remark
from workbench.analysis.text import NO_DEPARTMENT
from workbench.models import (
    AssessmentResponse,
    CommunicationMetric,
    CommunicationPlan,
    Factor,
    Initiative,
    MetricObjective,
    Objective,
)
from workbench.services import assessment, instruments, playbook
from workbench.services.departments import display_name
from workbench.services.process_links import ProcessLinks
from workbench.services.processes import ProcessMatrix
from workbench.services.report_values_operating import (
    CanvasFactor,
    InstrumentScores,
    MetricLine,
    PlanRow,
    ProcessRaci,
    RaciRow,
    ScenarioRow,
    ScoredName,
)
from workbench.services.scorecards import MetricCard

# The capability questionnaires the assessment chapter reports beside readiness, in order.
CAPABILITY_KEYS = ("fcr_capability", "tqm_maturity")
POLARITY_ORDER = {"barrier": 0, "driver": 1, "enabler": 2}


def canvas_factors(factors: Iterable[Factor]) -> tuple[CanvasFactor, ...]:
    """Every factor of a canvas column with its polarity, barriers first, heaviest first."""
    return tuple(
        CanvasFactor(f.title, f.polarity.value)
        for f in sorted(
            factors,
            key=lambda f: (POLARITY_ORDER.get(f.polarity.value, 9), -f.importance, f.id),
        )
    )


def capability_scores(session: Session) -> tuple[InstrumentScores, ...]:
    """The FCR capability and TQM maturity results, for the instruments anyone answered."""
    catalogue = instruments.load_catalogue(assessment.instruments_folder())
    wanted = [i for i in catalogue.instruments if i.key in CAPABILITY_KEYS]
    answers: dict[str, list[Answer]] = {i.key: [] for i in wanted}
    rows = session.scalars(
        select(AssessmentResponse)
        .where(AssessmentResponse.instrument_key.in_(list(answers)))
        .order_by(AssessmentResponse.updated_at, AssessmentResponse.id)
    )
    for row in rows:
        answers[row.instrument_key].append(Answer(row.respondent, row.question_key, row.value))
    results = []
    for instrument in sorted(wanted, key=lambda i: CAPABILITY_KEYS.index(i.key)):
        result = aggregate(instrument, answers[instrument.key])
        if result.respondents == 0:
            continue
        results.append(
            InstrumentScores(
                title=instrument.title,
                respondents=result.respondents,
                overall=_round(result.overall_score),
                dimensions=tuple(ScoredName(d.title, _round(d.score)) for d in result.dimensions),
            )
        )
    return tuple(results)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def _live(initiatives: Sequence[Initiative]) -> list[Initiative]:
    return [i for i in initiatives if i.status != "dropped"]


def scenario_undecided(view: playbook.ScenarioView) -> tuple[str, ...]:
    """What the playbook has not settled for a scenario, in neutral words for the reader."""
    scenario = view.scenario
    marks = []
    if not scenario.responder.strip():
        marks.append("responder to be decided")
    if not scenario.customer_message.strip():
        marks.append("message to the customer to be agreed")
    if not scenario.target_response_minutes:
        marks.append("response time to be agreed")
    return tuple(marks)


def raci_tables(
    matrices: list[ProcessMatrix],
    names: dict[int, str],
    links: dict[int, ProcessLinks] | None = None,
) -> tuple[ProcessRaci, ...]:
    """Each process's RACI table (people across, steps down), its department and changers."""
    tables = []
    for matrix in matrices:
        cells = matrix.cells
        people = sorted({pid for _s, pid in cells})
        held = (links or {}).get(matrix.process.id, ProcessLinks("", ()))
        tables.append(
            ProcessRaci(
                name=matrix.process.name,
                department=held.department,
                initiatives=held.initiatives,
                people=tuple(names.get(pid, "?") for pid in people),
                rows=tuple(
                    RaciRow(
                        f"{s.position}. {s.name}",
                        tuple(
                            cells[(s.id, pid)].role if (s.id, pid) in cells else ""
                            for pid in people
                        ),
                    )
                    for s in matrix.steps
                ),
            )
        )
    return tuple(tables)


def scenario_row(view: playbook.ScenarioView) -> ScenarioRow:
    """A failure scenario as the playbook pages show it, with what is still undecided."""
    scenario = view.scenario
    return ScenarioRow(
        name=scenario.name,
        severity=scenario.severity,
        foreseeable=scenario.foreseeable,
        responder=scenario.responder,
        message=scenario.customer_message,
        minutes=scenario.target_response_minutes,
        compensation=scenario.compensation_type.replace("_", " "),
        amount=scenario.compensation_amount,
        currency=scenario.currency or "",
        limit=scenario.escalation_limit,
        needs_approval=view.needs_approval,
        prevention=scenario.prevention_note.strip(),
        paradox=view.paradox_note,
        initiatives=tuple(i.title for i in view.initiatives if i.status != "dropped"),
        undecided=scenario_undecided(view),
        slow_target=slow_target_remark(scenario.target_response_minutes),
    )


def scenario_points(views: Iterable[playbook.ScenarioView]) -> list[OpenPoint]:
    """The playbook's gaps as decisions, owned by a linked initiative's owner, due by its start."""
    points = []
    for view in views:
        scenario = view.scenario
        linked = _live(view.initiatives)
        owner = next((i.owner.strip() for i in linked if i.owner and i.owner.strip()), "")
        starts = sorted(i.start_date for i in linked if i.start_date)
        due = starts[0].isoformat() if starts else None
        name = scenario.name
        wanted = []
        if not scenario.responder.strip():
            wanted.append(f"Name who responds to “{name}”")
        if not scenario.customer_message.strip():
            wanted.append(f"Agree what the customer is told when “{name}” happens")
        if not scenario.target_response_minutes:
            wanted.append(f"Set how soon the customer hears back when “{name}” happens")
        points += [OpenPoint("playbook", name, decision, owner, due) for decision in wanted]
    return points


def process_lead(matrix: ProcessMatrix, names: dict[int, str]) -> str:
    """The party Accountable for most of a process's steps (the process has no owner field)."""
    held = Counter(
        party for row in matrix.report.matrix.values() for party, role in row.items() if role == "A"
    )
    if not held:
        return ""
    most = max(held.values())
    return min((names.get(p, "") for p, n in held.items() if n == most), key=str.casefold)


def raci_points(matrices: Sequence[ProcessMatrix], names: dict[int, str]) -> list[OpenPoint]:
    """The RACI tables' problems as decisions for the process's lead: who is accountable,
    who does the work, and what part a party with no role at all plays."""
    points = []
    idle_in: dict[str, list[tuple[str, str]]] = {}
    for matrix in matrices:
        process = matrix.process.name
        lead = process_lead(matrix, names)
        steps = {s.id: s for s in matrix.steps}
        for violation in matrix.report.violations:
            step = steps.get(violation.step_id) if violation.step_id is not None else None
            where = f"step {step.position}, {step.name}, of {process}" if step else process
            if violation.code == "no_accountable":
                decision = f"Agree who is accountable for {where}"
            elif violation.code == "several_accountable" and step is not None:
                held = matrix.report.matrix.get(step.id, {})
                both = join_names(sorted(names.get(p, "?") for p, r in held.items() if r == "A"))
                decision = f"Agree which one of {both} is accountable for {where}"
            elif violation.code == "no_responsible":
                decision = f"Agree who carries out {where}"
            else:
                # Idle parties are gathered below; ignored rows are the data's, not a decision.
                continue
            points.append(OpenPoint("raci", process, decision, lead, None))
        busy = {party for row in matrix.report.matrix.values() for party in row}
        for party_id, name in names.items():
            if party_id not in busy:
                idle_in.setdefault(name, []).append((process, lead))
    # A party with a role somewhere is simply not involved elsewhere; one with none is a question.
    for name, places in sorted(idle_in.items(), key=lambda item: item[0].casefold()):
        if len(places) == len(matrices):
            process, lead = (
                places[0] if len(places) == 1 else ("the service recovery processes", "")
            )
            decision = f"Decide the role, if any, of {name} in {process}"
            points.append(OpenPoint("raci", name, decision, lead, None))
    return points


def objective_titles(session: Session) -> dict[int, tuple[str, ...]]:
    """The objectives each metric gives evidence for, by metric id."""
    rows = session.execute(
        select(MetricObjective.metric_id, Objective.title)
        .join(Objective, Objective.id == MetricObjective.objective_id)
        .order_by(MetricObjective.metric_id, Objective.title)
    )
    found: dict[int, list[str]] = {}
    for metric_id, title in rows:
        found.setdefault(metric_id, []).append(title)
    return {metric_id: tuple(titles) for metric_id, titles in found.items()}


def metric_line(
    card: MetricCard, objectives: dict[int, tuple[str, ...]], currency: str
) -> MetricLine:
    """A metric's table line: its owner (and its goal's, when the goal names its own), its
    objectives and its values with their unit."""
    metric, goal = card.metric, card.goal
    unit = metric.unit or None
    owner = metric.owner.strip()
    goal_owner = goal.owner.strip() if goal else ""
    if goal_owner and " ".join(goal_owner.split()).casefold() != " ".join(owner.split()).casefold():
        owner = f"{owner}; goal: {goal_owner}" if owner else f"Goal: {goal_owner}"
    return MetricLine(
        owner=owner,
        objectives=objectives.get(metric.id, ()),
        baseline=format_measure(goal.baseline if goal else None, unit, currency),
        latest=format_measure(card.latest, unit, currency),
        target=format_measure(goal.target if goal else None, unit, currency),
    )


def plan_rows(
    session: Session, metric_names: dict[int, str], departments: dict[str, str]
) -> tuple[PlanRow, ...]:
    """Every communication plan, by its department's display name, with the metrics it carries."""
    carried: dict[int, list[str]] = {}
    for link in session.scalars(select(CommunicationMetric).order_by(CommunicationMetric.id)):
        if link.metric_id in metric_names:
            carried.setdefault(link.plan_id, []).append(metric_names[link.metric_id])
    plans = session.scalars(select(CommunicationPlan).order_by(CommunicationPlan.id))
    rows = [
        PlanRow(
            department=display_name(departments, plan.department) or NO_DEPARTMENT,
            audience=plan.audience.strip(),
            channel=plan.channel.strip(),
            cadence=plan.cadence,
            owner=plan.owner.strip(),
            metrics=tuple(sorted(carried.get(plan.id, []), key=str.casefold)),
        )
        for plan in plans
    ]
    return tuple(sorted(rows, key=lambda r: (r.department.casefold(), r.audience.casefold())))
