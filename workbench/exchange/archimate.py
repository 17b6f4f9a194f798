"""ArchiMate 3.1 Model Exchange File Format: the strategy as a motivation and implementation model.

Elements: a driver per Phase 1 category with an assessment per factor; goals (top-level
objectives) and outcomes (the objectives beneath them); the TQM principles applied; work
packages (initiatives); stakeholders; business processes. Relationships: influence from each
factor to the objectives the initiatives addressing it serve ("+" for drivers and enablers,
"-" for barriers); realization of objectives by initiatives and of goals by the outcomes
beneath them (deeper outcomes are aggregated by the one above); association of factors with
their category, initiatives with the factors they address and the principles they apply,
stakeholders with the processes they hold RACI roles in; triggering between dependent
initiatives. Only relationships the ArchiMate 3.1 relationship table allows are written.
One diagram lays them out in columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from workbench.exchange.archimate_view import Column, add_view
from workbench.exchange.records import ExchangeData
from workbench.exchange.xmltext import date_text, decimal_text, one_line, xml_text

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

CATEGORY_NAMES = {
    "business_need": "Business needs",
    "organisational_driver": "Organisational drivers",
    "technology_driver": "Technology drivers",
    "environmental_factor": "Environmental factors",
}
RELATIONSHIP_KINDS = {"Aggregation", "Association", "Influence", "Realization", "Triggering"}
INFLUENCE = {"driver": "+", "enabler": "+", "barrier": "-"}
# (key, name, data type) of every property the model may carry, in output order.
PROPERTIES = (
    ("category", "Category", "string"),
    ("polarity", "Polarity", "string"),
    ("importance", "Importance (1-5)", "number"),
    ("perspective", "Perspective", "string"),
    ("owner", "Owner", "string"),
    ("due", "Due date", "date"),
    ("department", "Department", "string"),
    ("status", "Status", "string"),
    ("priority", "Priority", "string"),
    ("approach", "Approach", "string"),
    ("budget", "Budget", "number"),
    ("spend", "Spend", "number"),
    ("start", "Start date", "date"),
    ("end", "End date", "date"),
    ("contribution", "Contribution", "string"),
    ("kind", "Kind", "string"),
    ("interest", "Interest (1-5)", "number"),
    ("influence", "Influence (1-5)", "number"),
    ("roles", "RACI roles", "string"),
)


@dataclass
class Concept:
    """An element or relationship ready to write."""

    identifier: str
    kind: str
    name: str = ""
    documentation: str = ""
    properties: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""
    target: str = ""
    modifier: str = ""


def _props(**values: object) -> list[tuple[str, str]]:
    found = []
    for key, value in values.items():
        if value is None or value == "":
            continue
        found.append((key, xml_text(value)))
    return found


class _Model:
    """Collects the elements and relationships of a workspace."""

    def __init__(self, data: ExchangeData) -> None:
        self.data = data
        self.elements: list[Concept] = []
        self.relationships: list[Concept] = []
        self.columns: list[Column] = []

    def element(self, column: Column, concept: Concept) -> None:
        self.elements.append(concept)
        column.members.append(concept.identifier)

    def relate(self, kind: str, source: str, target: str, name: str = "", **extra: str) -> None:
        tail = f"{source.removeprefix('id-')}-{target.removeprefix('id-')}"
        identifier = f"id-{kind.lower()}-{tail}"
        props = _props(contribution=extra.get("contribution"), roles=extra.get("roles"))
        modifier = extra.get("modifier", "")
        self.relationships.append(
            Concept(identifier, kind, name, "", props, source, target, modifier)
        )

    def build(self) -> None:
        data = self.data
        stakeholders = Column("Stakeholders")
        processes = Column("Business processes")
        drivers = Column("Drivers")
        assessments = Column("Assessments")
        packages = Column("Work packages")
        outcomes = Column("Outcomes")
        goals = Column("Goals")
        principles = Column("Principles")
        self.columns = [
            stakeholders,
            processes,
            drivers,
            assessments,
            packages,
            outcomes,
            goals,
            principles,
        ]
        for person in data.stakeholders:
            props = _props(kind=person.kind, interest=person.interest, influence=person.influence)
            self.element(
                stakeholders,
                Concept(
                    f"id-stakeholder-{person.id}", "Stakeholder", person.name, person.notes, props
                ),
            )
        for process in data.processes:
            steps = "\n".join(f"{n}. {s}" for n, s in enumerate(process.steps, start=1))
            text = "\n\n".join(part for part in (process.description, steps) if part)
            self.element(
                processes,
                Concept(f"id-process-{process.id}", "BusinessProcess", process.name, text),
            )
        for category, label in CATEGORY_NAMES.items():
            if any(f.category == category for f in data.factors):
                self.element(drivers, Concept(f"id-driver-{category}", "Driver", label))
        for factor in sorted(data.factors, key=lambda f: list(CATEGORY_NAMES).index(f.category)):
            props = _props(
                category=CATEGORY_NAMES.get(factor.category),
                polarity=factor.polarity,
                importance=factor.importance,
            )
            identifier = f"id-factor-{factor.id}"
            self.element(
                assessments,
                Concept(identifier, "Assessment", factor.title, factor.description, props),
            )
            self.relate("Association", identifier, f"id-driver-{factor.category}")
        self.objectives(goals, outcomes)
        self.initiatives(packages)
        applied = self.data.applied_principles()
        for principle in applied:
            self.element(
                principles,
                Concept(
                    f"id-principle-{principle.id}",
                    "Principle",
                    principle.name,
                    principle.description,
                ),
            )
        self.links()

    def objectives(self, goals: Column, outcomes: Column) -> None:
        known = {o.id for o in self.data.objectives}
        roots = {
            o.id for o in self.data.objectives if o.parent_id not in known or o.parent_id == o.id
        }
        for objective in self.data.objectives:
            props = _props(
                perspective=objective.perspective,
                owner=objective.owner,
                due=date_text(objective.due_date),
            )
            nested = objective.parent_id in known and objective.parent_id != objective.id
            concept = Concept(
                f"id-objective-{objective.id}",
                "Outcome" if nested else "Goal",
                objective.title,
                objective.description,
                props,
            )
            self.element(outcomes if nested else goals, concept)
            if not nested:
                continue
            parent = f"id-objective-{objective.parent_id}"
            if objective.parent_id in roots:
                self.relate("Realization", concept.identifier, parent)
            else:
                # ArchiMate lets an outcome realize a goal but not another outcome: a deeper
                # objective is part of the outcome above it.
                self.relate("Aggregation", parent, concept.identifier)

    def initiatives(self, packages: Column) -> None:
        for initiative in self.data.initiatives:
            props = _props(
                owner=initiative.owner,
                department=initiative.department,
                status=initiative.status,
                priority=initiative.priority,
                approach=initiative.approach,
                budget=decimal_text(initiative.budget),
                spend=decimal_text(initiative.spend),
                start=date_text(initiative.start_date),
                end=date_text(initiative.end_date),
            )
            self.element(
                packages,
                Concept(
                    f"id-initiative-{initiative.id}",
                    "WorkPackage",
                    initiative.title,
                    initiative.description,
                    props,
                ),
            )

    def links(self) -> None:
        data = self.data
        polarity = {f.id: f.polarity for f in data.factors}
        served: dict[int, list[int]] = {}
        for link in data.contributions:
            served.setdefault(link.initiative_id, []).append(link.objective_id)
            self.relate(
                "Realization",
                f"id-initiative-{link.initiative_id}",
                f"id-objective-{link.objective_id}",
                contribution=link.contribution,
            )
        influences: set[tuple[int, int]] = set()
        for initiative_id, factor_id in data.factor_links:
            self.relate(
                "Association",
                f"id-initiative-{initiative_id}",
                f"id-factor-{factor_id}",
                "addresses",
            )
            influences.update((factor_id, o) for o in served.get(initiative_id, []))
        for factor_id, objective_id in sorted(influences):
            sign = INFLUENCE[polarity[factor_id]]
            self.relate(
                "Influence",
                f"id-factor-{factor_id}",
                f"id-objective-{objective_id}",
                sign,
                modifier=sign,
            )
        for initiative_id, principle_id in data.principle_links:
            self.relate(
                "Association",
                f"id-initiative-{initiative_id}",
                f"id-principle-{principle_id}",
                "applies",
            )
        for initiative_id, depends_on_id in data.dependencies:
            self.relate(
                "Triggering", f"id-initiative-{depends_on_id}", f"id-initiative-{initiative_id}"
            )
        for raci in data.raci:
            self.relate(
                "Association",
                f"id-stakeholder-{raci.stakeholder_id}",
                f"id-process-{raci.process_id}",
                ", ".join(raci.roles),
                roles=", ".join(raci.roles),
            )


def _named(parent: etree._Element, concept: Concept) -> None:
    if concept.name or concept.kind not in RELATIONSHIP_KINDS:
        name = etree.SubElement(parent, f"{{{NS}}}name")
        name.text = one_line(concept.name) or concept.identifier
    if concept.documentation:
        documentation = etree.SubElement(parent, f"{{{NS}}}documentation")
        documentation.text = xml_text(concept.documentation)
    if concept.properties:
        properties = etree.SubElement(parent, f"{{{NS}}}properties")
        for key, value in concept.properties:
            prop = etree.SubElement(properties, f"{{{NS}}}property")
            prop.set("propertyDefinitionRef", f"propid-{key}")
            etree.SubElement(prop, f"{{{NS}}}value").text = value


def build_model(data: ExchangeData) -> bytes:
    """Write the records as an ArchiMate 3.1 exchange file with one diagram."""
    model = _Model(data)
    model.build()
    root = etree.Element(f"{{{NS}}}model", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set("identifier", f"id-model-workspace-{data.workspace.id}")
    etree.SubElement(root, f"{{{NS}}}name").text = (
        one_line(data.workspace.name) or f"Workspace {data.workspace.id}"
    )
    if data.workspace.purpose:
        etree.SubElement(root, f"{{{NS}}}documentation").text = xml_text(data.workspace.purpose)
    if model.elements:
        elements = etree.SubElement(root, f"{{{NS}}}elements")
        for concept in model.elements:
            node = etree.SubElement(elements, f"{{{NS}}}element")
            node.set("identifier", concept.identifier)
            node.set(f"{{{XSI}}}type", concept.kind)
            _named(node, concept)
    if model.relationships:
        relationships = etree.SubElement(root, f"{{{NS}}}relationships")
        for concept in model.relationships:
            node = etree.SubElement(relationships, f"{{{NS}}}relationship")
            node.set("identifier", concept.identifier)
            node.set("source", concept.source)
            node.set("target", concept.target)
            node.set(f"{{{XSI}}}type", concept.kind)
            if concept.modifier:
                node.set("modifier", concept.modifier)
            _named(node, concept)
    used = {key for c in model.elements + model.relationships for key, _value in c.properties}
    if used:
        definitions = etree.SubElement(root, f"{{{NS}}}propertyDefinitions")
        for key, label, kind in PROPERTIES:
            if key in used:
                node = etree.SubElement(definitions, f"{{{NS}}}propertyDefinition")
                node.set("identifier", f"propid-{key}")
                node.set("type", kind)
                etree.SubElement(node, f"{{{NS}}}name").text = label
    add_view(root, NS, XSI, model.columns, model.relationships)
    document: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return document
