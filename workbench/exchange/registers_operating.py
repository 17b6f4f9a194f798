"""The exchange registers of the operating model and the front line (Phase 3).

Stakeholders, the canvas, processes and the initiatives that change them, process steps
and RACI, the organisation, the playbook and its initiatives, the application portfolio,
success stories, training and drills; `registers.TABLES` places them between the risks
and the sites, in the order a file is read.
"""

from __future__ import annotations

from workbench.exchange.columns import POSITION, Table, from_spec, line, ref
from workbench.models import catalogue

OPERATING_TABLES: tuple[Table, ...] = (
    Table(
        "stakeholders",
        "Stakeholders",
        "S",
        "Stakeholder",
        (*(from_spec(spec) for spec in catalogue.STAKEHOLDERS.fields),),
    ),
    Table(
        "canvas",
        "Challenges and opportunities",
        "C",
        "CanvasItem",
        (
            *(from_spec(spec) for spec in catalogue.CANVAS.fields),
            POSITION,
        ),
    ),
    Table(
        "processes",
        "Processes",
        "PR",
        "Process",
        (
            *(from_spec(spec) for spec in catalogue.PROCESSES.fields),
            line("template_key", 60, nullable=True),
        ),
        added_later=("department",),
    ),
    Table(
        "process_initiatives",
        "Process changes",
        "PI",
        "ProcessInitiative",
        (ref("process", "processes"), ref("initiative", "initiatives")),
        unique=(("process", "initiative"),),
        optional=True,
    ),
    Table(
        "steps",
        "Process steps",
        "PS",
        "ProcessStep",
        (
            ref("process", "processes"),
            POSITION,
            *(from_spec(spec) for spec in catalogue.STEPS.fields),
        ),
    ),
    Table(
        "raci",
        "RACI",
        "RA",
        "RaciAssignment",
        (
            ref("step", "steps"),
            ref("stakeholder", "stakeholders"),
            from_spec(catalogue.RACI.field("role")),
        ),
        unique=(("step", "stakeholder"),),
    ),
    Table(
        "org_units",
        "Organisation units",
        "U",
        "OrgUnit",
        (
            *(from_spec(spec) for spec in catalogue.ORG_UNITS.fields),
            ref("parent", "org_units", required=False),
            ref("source", "org_units", required=False),
        ),
        acyclic=(("parent", "parent"),),
    ),
    Table(
        "scenarios",
        "Failure scenarios",
        "SC",
        "FailureScenario",
        (
            *(from_spec(spec) for spec in catalogue.SCENARIOS.fields),
            line("template_key", 80, nullable=True),
        ),
    ),
    Table(
        "scenario_initiatives",
        "Scenario initiatives",
        "SI",
        "ScenarioInitiative",
        (ref("scenario", "scenarios"), ref("initiative", "initiatives")),
        unique=(("scenario", "initiative"),),
    ),
    Table(
        "applications",
        "Applications",
        "AP",
        "Application",
        (*(from_spec(spec) for spec in catalogue.APPLICATIONS.fields),),
        optional=True,
    ),
    Table(
        "stories",
        "Success stories",
        "ST",
        "SuccessStory",
        (
            *(from_spec(spec) for spec in catalogue.STORIES.fields),
            ref("scenario", "scenarios", required=False),
        ),
        optional=True,
    ),
    Table(
        "training",
        "Training sessions",
        "TR",
        "TrainingItem",
        tuple(from_spec(spec) for spec in catalogue.TRAINING.fields),
        optional=True,
    ),
    Table(
        "training_scenarios",
        "Training scenarios",
        "TS",
        "TrainingScenario",
        (ref("training", "training"), ref("scenario", "scenarios")),
        unique=(("training", "scenario"),),
        optional=True,
    ),
    Table(
        "drills",
        "Recovery drills",
        "DR",
        "Drill",
        (ref("scenario", "scenarios"), *(from_spec(spec) for spec in catalogue.DRILLS.fields)),
        optional=True,
    ),
)
