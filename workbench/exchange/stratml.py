"""StratML: the strategic plan (ISO 17469-1, Part 1) and the performance plan (Part 2).

Top-level objectives become goals; the objectives beneath them (at any depth) become the
goal's objectives. Part 2 adds each metric linked to an objective as a performance indicator
with its target (from the goal) and actual results (the measurements), the stakeholders,
and the TQM principles applied as values. Identifiers derive from database ids, so the same
workspace always gives the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from workbench.exchange.records import ExchangeData, MetricRecord, ObjectiveRecord
from workbench.exchange.stratml_parse import (
    INDICATORS_SUFFIX,
    KEY_DUE,
    KEY_OWNER,
    KEY_PARENT,
    KEY_PERSPECTIVE,
    PART1_NS,
    PART2_NS,
    PLACEHOLDER_ID,
    ParsedGoal,
    ParsedObjective,
    ParsedPlan,
    StratmlImportError,
    parse_strategic_plan,
)
from workbench.exchange.xmltext import date_text, decimal_text, lines, one_line, xml_text

__all__ = [
    "ParsedGoal",
    "ParsedObjective",
    "ParsedPlan",
    "StratmlImportError",
    "build_performance_plan",
    "build_strategic_plan",
    "parse_strategic_plan",
]

STAKEHOLDER_TYPES = {
    "person": "Person",
    "team": "Generic_Group",
    "department": "Organization",
    "external": "Generic_Group",
}


@dataclass(frozen=True)
class GoalTree:
    """A top-level objective with its descendants in depth-first order."""

    goal: ObjectiveRecord
    objectives: list[ObjectiveRecord]


def goal_trees(objectives: list[ObjectiveRecord]) -> list[GoalTree]:
    """Group objectives under their top-level ancestor (a missing or looping parent is a root)."""
    by_id = {o.id: o for o in objectives}
    children: dict[int, list[ObjectiveRecord]] = {}
    roots = []
    for objective in objectives:
        if objective.parent_id in by_id and objective.parent_id != objective.id:
            children.setdefault(objective.parent_id, []).append(objective)
        else:
            roots.append(objective)
    placed: set[int] = set()

    def walk(node: ObjectiveRecord) -> Iterator[ObjectiveRecord]:
        for child in children.get(node.id, []):
            if child.id not in placed:
                placed.add(child.id)
                yield child
                yield from walk(child)

    trees = []
    for root in roots:
        placed.add(root.id)
        trees.append(GoalTree(root, list(walk(root))))
    # Objectives caught in a parent loop are reachable from no root: list them as goals.
    for objective in objectives:
        if objective.id not in placed:
            placed.add(objective.id)
            trees.append(GoalTree(objective, list(walk(objective))))
    return trees


class _Writer:
    """Builds one StratML document in a namespace; `part2` adds the performance content."""

    def __init__(self, data: ExchangeData, part2: bool) -> None:
        self.data = data
        self.part2 = part2
        self.ns = PART2_NS if part2 else PART1_NS
        self.initiatives = {i.id: i for i in data.initiatives}
        # Lookups built once so a large workspace is written in linear time.
        self.served: dict[int, list[str]] = {}
        for link in data.contributions:
            if link.initiative_id in self.initiatives:
                title = one_line(self.initiatives[link.initiative_id].title)
                self.served.setdefault(link.objective_id, []).append(
                    f"{title} ({link.contribution})"
                )
        metric_ids: dict[int, set[int]] = {}
        for metric_id, objective_id in data.metric_links:
            metric_ids.setdefault(objective_id, set()).add(metric_id)
        self.measured: dict[int, list[MetricRecord]] = {
            objective_id: [m for m in data.metrics if m.id in wanted]
            for objective_id, wanted in metric_ids.items()
        }

    def el(self, parent: etree._Element, tag: str, text: object = None) -> etree._Element:
        """Append a child element (text made XML-safe)."""
        child = etree.SubElement(parent, f"{{{self.ns}}}{tag}")
        if text is not None:
            child.text = xml_text(text)
        return child

    def stakeholder(self, parent: etree._Element, name: str, description: str, kind: str) -> None:
        node = self.el(parent, "Stakeholder")
        if kind in STAKEHOLDER_TYPES:
            node.set("StakeholderTypeType", STAKEHOLDER_TYPES[kind])
        self.el(node, "Name", one_line(name))
        if description:
            self.el(node, "Description", description)

    def other_information(self, objective: ObjectiveRecord, parent_id: int | None) -> str:
        info = [f"{KEY_PERSPECTIVE}: {objective.perspective}"]
        if objective.owner:
            info.append(f"{KEY_OWNER}: {one_line(objective.owner)}")
        if objective.due_date:
            info.append(f"{KEY_DUE}: {objective.due_date.isoformat()}")
        if parent_id is not None:
            info.append(f"{KEY_PARENT}: id-objective-{parent_id}")
        served = self.served.get(objective.id, [])
        if served:
            info.append("Served by initiatives: " + "; ".join(served))
        if not self.part2:
            measured = [m.name for m in self.metrics_of(objective.id)]
            if measured:
                info.append("Measured by: " + "; ".join(one_line(name) for name in measured))
        return "\n".join(info)

    def metrics_of(self, objective_id: int) -> list[MetricRecord]:
        """Return the metrics linked to an objective, in metric order."""
        return self.measured.get(objective_id, [])

    def owner(self, node: etree._Element, objective: ObjectiveRecord) -> None:
        if objective.owner:
            self.stakeholder(node, objective.owner, "Owner of this objective.", "")

    def objective(
        self, goal: etree._Element, objective: ObjectiveRecord, sequence: str, root_id: int
    ) -> None:
        node = self.el(goal, "Objective")
        self.el(node, "Name", one_line(objective.title))
        self.el(node, "Description", objective.description)
        self.el(node, "Identifier", f"id-objective-{objective.id}")
        self.el(node, "SequenceIndicator", sequence)
        self.owner(node, objective)
        parent = objective.parent_id if objective.parent_id != root_id else None
        self.el(node, "OtherInformation", self.other_information(objective, parent))
        if self.part2:
            self.indicators(node, objective.id)

    def indicators(self, node: etree._Element, objective_id: int) -> None:
        for number, metric in enumerate(self.metrics_of(objective_id), start=1):
            self.indicator(node, metric, objective_id, number)

    def indicator(
        self, parent: etree._Element, metric: MetricRecord, objective_id: int, number: int
    ) -> None:
        node = self.el(parent, "PerformanceIndicator")
        node.set("PerformanceIndicatorType", "Quantitative")
        node.set("ValueChainStage", "Outcome")
        self.el(node, "SequenceIndicator", str(number))
        self.el(node, "MeasurementDimension", one_line(metric.name))
        self.el(node, "UnitOfMeasurement", one_line(metric.unit))
        self.el(node, "Identifier", f"id-indicator-{metric.id}-objective-{objective_id}")
        instance = self.el(node, "MeasurementInstance")
        target = decimal_text(metric.target)
        baseline = decimal_text(metric.baseline)
        if target is not None or baseline is not None:
            result = self.el(instance, "TargetResult")
            if metric.baseline_date:
                self.el(result, "StartDate", date_text(metric.baseline_date))
            if metric.target_date:
                self.el(result, "EndDate", date_text(metric.target_date))
            if target is not None:
                self.el(result, "NumberOfUnits", target)
            if baseline is not None:
                descriptor = self.el(result, "Descriptor")
                self.el(descriptor, "DescriptorName", "Baseline")
                self.el(descriptor, "DescriptorValue", baseline)
            if metric.rationale:
                self.el(result, "Description", metric.rationale)
        for reading in metric.measurements:
            value = decimal_text(reading.value)
            if value is None:
                continue
            result = self.el(instance, "ActualResult")
            self.el(result, "StartDate", date_text(reading.measured_on))
            self.el(result, "EndDate", date_text(reading.measured_on))
            self.el(result, "NumberOfUnits", value)
            if reading.note:
                self.el(result, "Description", reading.note)
        info = [f"Direction: {metric.direction} is better"]
        for label, value in (
            ("Definition", metric.definition),
            ("Department", metric.department),
            ("Owner", metric.owner),
        ):
            if value:
                info.append(f"{label}: {one_line(value)}")
        self.el(node, "OtherInformation", "\n".join(info))

    def goal(self, core: etree._Element, tree: GoalTree, number: int) -> None:
        node = self.el(core, "Goal")
        self.el(node, "Name", one_line(tree.goal.title))
        self.el(node, "Description", tree.goal.description)
        self.el(node, "Identifier", f"id-objective-{tree.goal.id}")
        self.el(node, "SequenceIndicator", str(number))
        self.owner(node, tree.goal)
        self.el(node, "OtherInformation", self.other_information(tree.goal, None))
        if self.part2 and self.metrics_of(tree.goal.id):
            # Part 2 hangs indicators on objectives only; the goal's own go in a holder.
            holder = self.el(node, "Objective")
            self.el(holder, "Name", one_line(tree.goal.title))
            self.el(holder, "Description", "Performance indicators of the goal itself.")
            self.el(holder, "Identifier", f"id-objective-{tree.goal.id}{INDICATORS_SUFFIX}")
            self.el(holder, "SequenceIndicator", f"{number}.0")
            self.indicators(holder, tree.goal.id)
        for position, objective in enumerate(tree.objectives, start=1):
            self.objective(node, objective, f"{number}.{position}", tree.goal.id)

    def values(self, core: etree._Element) -> None:
        for line in lines(self.data.workspace.values):
            value = self.el(core, "Value")
            self.el(value, "Name", line)
        users_of: dict[int, list[str]] = {}
        for initiative_id, principle_id in self.data.principle_links:
            if initiative_id in self.initiatives:
                title = one_line(self.initiatives[initiative_id].title)
                users_of.setdefault(principle_id, []).append(title)
        for principle in self.data.applied_principles():
            users = users_of.get(principle.id, [])
            value = self.el(core, "Value")
            self.el(value, "Name", f"TQM principle: {one_line(principle.name)}")
            description = one_line(principle.description)
            self.el(value, "Description", f"{description} Applied by: {'; '.join(users)}.")

    def core(self, root: etree._Element) -> None:
        workspace = self.data.workspace
        core = self.el(root, "StrategicPlanCore")
        organisation = self.el(core, "Organization")
        self.el(organisation, "Name", one_line(workspace.name))
        self.el(organisation, "Identifier", f"id-workspace-{workspace.id}")
        if workspace.industry:
            self.el(organisation, "Description", f"Industry: {one_line(workspace.industry)}")
        for person in self.data.stakeholders:
            about = [f"Interest {person.interest} of 5, influence {person.influence} of 5."]
            if person.notes:
                about.append(xml_text(person.notes))
            self.stakeholder(organisation, person.name, "\n".join(about), person.kind)
        if workspace.vision:
            vision = self.el(core, "Vision")
            self.el(vision, "Description", workspace.vision)
            self.el(vision, "Identifier", f"id-vision-{workspace.id}")
        if workspace.mission:
            mission = self.el(core, "Mission")
            self.el(mission, "Description", workspace.mission)
            self.el(mission, "Identifier", f"id-mission-{workspace.id}")
        self.values(core)
        trees = goal_trees(self.data.objectives)
        for number, tree in enumerate(trees, start=1):
            self.goal(core, tree, number)
        if not trees:
            # The schema needs at least one goal; this one says the plan has none yet.
            goal = self.el(core, "Goal")
            self.el(goal, "Name", "No objectives yet")
            self.el(goal, "Description", "The workspace has no corporate objectives recorded.")
            self.el(goal, "Identifier", PLACEHOLDER_ID)

    def administrative(self, root: etree._Element) -> None:
        starts = [i.start_date for i in self.data.initiatives if i.start_date]
        ends = [o.due_date for o in self.data.objectives if o.due_date]
        ends += [i.end_date for i in self.data.initiatives if i.end_date]
        if not (starts or ends or self.part2):
            return
        info = self.el(root, "AdministrativeInformation")
        if self.part2:
            self.el(info, "Identifier", f"id-plan-{self.data.workspace.id}")
        if starts:
            self.el(info, "StartDate", date_text(min(starts)))
        if ends:
            self.el(info, "EndDate", date_text(max(ends)))

    def document(self) -> bytes:
        workspace = self.data.workspace
        tag = "PerformancePlanOrReport" if self.part2 else "StrategicPlan"
        root = etree.Element(f"{{{self.ns}}}{tag}", nsmap={None: self.ns})
        if self.part2:
            root.set("Type", "Performance_Plan")
        self.el(root, "Name", one_line(workspace.name) or f"Workspace {workspace.id}")
        if workspace.purpose:
            self.el(root, "Description", workspace.purpose)
        self.el(root, "OtherInformation", "Service recovery strategy.")
        self.core(root)
        self.administrative(root)
        document: bytes = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return document


def build_strategic_plan(data: ExchangeData) -> bytes:
    """Write the records as a StratML Part 1 strategic plan."""
    return _Writer(data, part2=False).document()


def build_performance_plan(data: ExchangeData) -> bytes:
    """Write the records as a StratML Part 2 performance plan."""
    return _Writer(data, part2=True).document()
