"""The field catalogue is the one source: forms, API fields and exchange columns agree with it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Integer, String
from sqlalchemy import inspect as sa_inspect
from wtforms import BooleanField, SelectFieldBase, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tests.conftest import BASE_CONFIG, login, seed
from tests.integration.api_support import API, call, make_token
from workbench import create_app
from workbench.exchange import backup
from workbench.exchange.backup import ExchangeRefusedError
from workbench.exchange.columns import Column
from workbench.exchange.registers import TABLE_BY_NAME, WORKSPACE_FIELDS
from workbench.extensions import db
from workbench.models import (
    Application,
    AssessmentResponse,
    CanvasItem,
    CommunicationPlan,
    Department,
    Drill,
    EconomicsCase,
    Factor,
    FailureScenario,
    FrictionPoint,
    Goal,
    Initiative,
    InitiativeObjective,
    Measurement,
    Metric,
    Milestone,
    Objective,
    OrgUnit,
    Process,
    ProcessStep,
    RaciAssignment,
    Risk,
    Site,
    Stakeholder,
    SuccessStory,
    TrainingItem,
    Workspace,
)
from workbench.models.catalogue import REGISTERS
from workbench.models.fields import MONEY_MAX, FieldSpec
from workbench.services.exchange_exports import run_export
from workbench.services.tenancy import scope_session
from workbench.web import assessment, journey
from workbench.web import workspaces as workspace_views
from workbench.web.alignment import forms as plan_forms
from workbench.web.alignment import risk_forms
from workbench.web.api.fields import Field
from workbench.web.api.milestones import MILESTONE_FIELDS
from workbench.web.api.nested import GOAL_FIELDS, MEASUREMENT_FIELDS
from workbench.web.api.resources import CORE_REGISTERS
from workbench.web.metrics import forms as metric_forms
from workbench.web.metrics import site_forms
from workbench.web.operating import application_forms, drill_forms, story_forms
from workbench.web.operating import forms as operating_forms

FORMS: dict[str, tuple[type, ...]] = {
    "factors": (assessment.FactorForm, assessment.QuickAddForm),
    "friction": (journey.AddFrictionForm,),
    "objectives": (plan_forms.NewObjectiveForm,),
    "departments": (operating_forms.NewDepartmentForm, operating_forms.DepartmentForm),
    "initiatives": (plan_forms.NewInitiativeForm,),
    "risks": (risk_forms.NewRiskForm, risk_forms.RiskForm),
    "milestones": (plan_forms.NewMilestoneForm, plan_forms.MilestoneForm),
    "stakeholders": (operating_forms.NewStakeholderForm,),
    "canvas": (operating_forms.NewCanvasItemForm,),
    "processes": (operating_forms.NewProcessForm,),
    "steps": (operating_forms.NewStepForm,),
    "org_units": (operating_forms.NewUnitForm,),
    "scenarios": (operating_forms.NewScenarioForm,),
    "applications": (application_forms.NewApplicationForm, application_forms.ApplicationForm),
    "stories": (story_forms.NewStoryForm, story_forms.StoryForm),
    "training": (story_forms.NewTrainingForm, story_forms.TrainingForm),
    "drills": (drill_forms.NewDrillForm, drill_forms.DrillForm, drill_forms.DrillResultForm),
    "sites": (site_forms.NewSiteForm, site_forms.SiteForm),
    "metrics": (metric_forms.NewMetricForm,),
    "goals": (metric_forms.GoalForm,),
    "measurements": (metric_forms.MeasurementForm,),
    "plans": (metric_forms.PlanForm,),
    "economics": (metric_forms.EconomicsForm,),
    "workspace": (workspace_views.WorkspaceForm, workspace_views.StrategyForm),
}
API_FIELDS: dict[str, tuple[Field, ...]] = {
    **{register.path: register.fields for register in CORE_REGISTERS},
    "goals": GOAL_FIELDS,
    "measurements": MEASUREMENT_FIELDS,
    "milestones": MILESTONE_FIELDS,
}
MODELS: dict[str, type] = {
    "factors": Factor,
    "responses": AssessmentResponse,
    "friction": FrictionPoint,
    "objectives": Objective,
    "departments": Department,
    "initiatives": Initiative,
    "milestones": Milestone,
    "alignment": InitiativeObjective,
    "risks": Risk,
    "stakeholders": Stakeholder,
    "canvas": CanvasItem,
    "processes": Process,
    "steps": ProcessStep,
    "raci": RaciAssignment,
    "org_units": OrgUnit,
    "scenarios": FailureScenario,
    "applications": Application,
    "stories": SuccessStory,
    "training": TrainingItem,
    "drills": Drill,
    "sites": Site,
    "metrics": Metric,
    "goals": Goal,
    "measurements": Measurement,
    "plans": CommunicationPlan,
    "economics": EconomicsCase,
    "workspace": Workspace,
}
CASES = [(register.name, spec.name) for register in REGISTERS.values() for spec in register.fields]
NUMERIC = {"integer", "number", "money"}


@pytest.fixture(scope="module")
def light_app() -> Iterator[Flask]:
    """The app, for binding forms; these checks never touch a database."""
    application = create_app({**BASE_CONFIG, "DATABASE_URL": "sqlite://"})
    yield application


def expected(spec: FieldSpec) -> dict[str, Any]:
    """What every way in must state about the field."""
    limits: dict[str, Any] = {"required": spec.required}
    if spec.kind in {"line", "text"}:
        limits["max_length"] = spec.max_length
    if spec.kind in {"choice", "choices"} or (spec.kind == "integer" and spec.choices):
        limits["choices"] = frozenset(spec.values)
    if spec.kind in NUMERIC:
        limits["low"], limits["high"] = float(spec.low or 0), float(spec.high or 0)
    return limits


def form_limits(spec: FieldSpec, field: Any, scale: float = 1.0) -> dict[str, Any]:
    """What a bound form field enforces."""
    validators = field.validators
    limits: dict[str, Any] = {}
    if isinstance(field, SelectFieldBase):
        values = {choice[0] for choice in field.iter_choices()}
        if spec.nullable:  # the "none" option a page adds to an optional choice
            values -= {"", "none"}
        limits["choices"] = frozenset(values)
        if isinstance(field, SelectMultipleField):
            limits["required"] = False
    elif isinstance(field, StringField) and not hasattr(field, "places"):
        lengths = [v.max for v in validators if isinstance(v, Length)]
        limits["max_length"] = lengths[0] if lengths else None
        limits["required"] = any(isinstance(v, DataRequired | InputRequired) for v in validators)
    elif not isinstance(field, BooleanField):
        limits["required"] = not any(isinstance(v, Optional) for v in validators)
    if spec.kind in NUMERIC and "choices" not in limits:
        [bounds] = [v for v in validators if isinstance(v, NumberRange)]
        limits["low"], limits["high"] = float(bounds.min) / scale, float(bounds.max) / scale
    return limits


def api_limits(field: Field) -> dict[str, Any]:
    """What the OpenAPI document states about an API field."""
    schema = field.schema()
    base = schema["anyOf"][0] if "anyOf" in schema else schema
    limits: dict[str, Any] = {"required": field.required}
    if "maxLength" in base:
        limits["max_length"] = base["maxLength"]
    if "enum" in base:
        limits["choices"] = frozenset(base["enum"])
    if base.get("type") == "array":
        limits["choices"] = frozenset(base["items"]["enum"])
    if base.get("type") in {"integer", "number"}:
        limits["low"], limits["high"] = float(base["minimum"]), float(base["maximum"])
    return limits


def exchange_limits(column: Column) -> dict[str, Any]:
    """What an exchange column checks on import."""
    limits: dict[str, Any] = {"required": column.required}
    if column.kind == "text":
        limits["max_length"] = column.max_length
    if column.kind in {"choice", "list"}:
        limits["choices"] = frozenset(column.choices)
    if column.kind in {"int", "float", "decimal"}:
        limits["low"], limits["high"] = float(column.minimum or 0), float(column.maximum or 0)
    return limits


def _ways_in(light_app: Flask, register: str, spec: FieldSpec) -> list[tuple[str, dict]]:
    ways: list[tuple[str, dict]] = []
    scale = 100.0 if register == "economics" and spec.name in metric_forms.PERCENT_INPUTS else 1.0
    with light_app.test_request_context():
        for form_class in FORMS.get(register, ()):
            form = form_class(formdata=None)
            if spec.name in form:
                ways.append(
                    (f"form {form_class.__name__}", form_limits(spec, form[spec.name], scale))
                )
    for field in API_FIELDS.get(register, ()):
        if field.name == spec.name:
            ways.append(("API", api_limits(field)))
    columns = WORKSPACE_FIELDS if register == "workspace" else TABLE_BY_NAME[register].columns
    for column in columns:
        if column.name == spec.name:
            ways.append(("exchange", exchange_limits(column)))
    return ways


@pytest.mark.parametrize(("register", "name"), CASES, ids=[f"{r}.{n}" for r, n in CASES])
def test_form_api_and_exchange_agree_with_the_catalogue(
    light_app: Flask, register: str, name: str
) -> None:
    spec = REGISTERS[register].field(name)
    want = expected(spec)
    ways = _ways_in(light_app, register, spec)
    # Every field is imported, and most are typed too; the exchange carries them all.
    assert "exchange" in [where for where, _ in ways]
    for where, limits in ways:
        # Each way states the limits of its kind: a text its length, a choice its values.
        if "max_length" in want:
            essential = {"max_length"}
        elif "choices" in limits or ("choices" in want and "low" not in want):
            essential = {"choices"}
        else:
            essential = set(want) - {"required", "choices"}
        assert essential <= set(limits), f"{where} does not state {essential - set(limits)}"
        assert limits == {key: want[key] for key in limits}, where


def test_the_forms_and_the_api_are_covered_by_the_catalogue(light_app: Flask) -> None:
    """A field a form or the API offers for a register is a catalogue field of it."""
    # Not register fields: the version, references chosen from rows, a bulk paste box, the
    # name of a department to add to the register instead of choosing one.
    own = {"version", "csrf_token", "parent", "source", "scenario_id", "titles", "new_department"}
    missing = []
    with light_app.test_request_context():
        for register, form_classes in FORMS.items():
            names = {spec.name for spec in REGISTERS[register].fields} | own
            for form_class in form_classes:
                fields = form_class(formdata=None)
                missing += [
                    f"{form_class.__name__}.{f.name}" for f in fields if f.name not in names
                ]
    for register, api_fields in API_FIELDS.items():
        names = {spec.name for spec in REGISTERS[register].fields}
        missing += [
            f"API {register}.{f.name}"
            for f in api_fields
            if f.kind not in {"id", "ids"} and f.name not in names
        ]
    assert not missing


@pytest.mark.parametrize(("register", "name"), CASES, ids=[f"{r}.{n}" for r, n in CASES])
def test_the_model_column_is_the_hard_ceiling(register: str, name: str) -> None:
    spec = REGISTERS[register].field(name)
    column = sa_inspect(MODELS[register]).columns[name]
    kind = column.type
    if spec.kind in {"line", "text"} and isinstance(kind, String) and kind.length:
        assert spec.max_length is not None and spec.max_length <= kind.length
    if spec.kind == "choice" and isinstance(kind, String) and kind.length:
        assert max(len(value) for value in spec.values) <= kind.length
    if spec.kind == "integer" and isinstance(kind, Integer):
        assert spec.maximum is not None and spec.maximum <= 2**31 - 1  # PostgreSQL's integer
    if spec.kind == "money":
        assert spec.high == float(MONEY_MAX)  # Numeric(14, 2)
    if spec.nullable and spec.kind != "choices":
        assert column.nullable


# --------------------------------------------------------------------------- the same refusal

OVERSIZED = [
    # register, field, limit, form URL, form data, API path, API body
    ("metrics", "name", 160, "metrics/new", {"unit": "percent", "direction": "higher"}, {}),
    ("initiatives", "description", 4000, "alignment/initiatives", {"title": "T"}, {"title": "T"}),
    (
        "factors",
        "evidence",
        4000,
        None,
        {},
        {"title": "T", "category": "business_need", "polarity": "driver"},
    ),
]


def _backup_with(app: Flask, workspace_id: int, register: str, field: str, value: Any) -> bytes:
    with app.app_context():
        scope_session(db.session, workspace_id)
        workspace = db.session.get_one(Workspace, workspace_id)
        document = json.loads(run_export(db.session, workspace, "json"))
    document["registers"][register][0][field] = value
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("register", "field", "limit", "form_path", "form_data", "api_body"),
    OVERSIZED,
    ids=[f"{case[0]}.{case[1]}" for case in OVERSIZED],
)
def test_an_oversized_value_is_refused_with_the_same_limit_everywhere(
    app: Flask,
    client: FlaskClient,
    team: dict[str, Any],
    register: str,
    field: str,
    limit: int,
    form_path: str | None,
    form_data: dict[str, str],
    api_body: dict[str, str],
) -> None:
    assert REGISTERS[register].field(field).max_length == limit
    seed(app)
    wid = team["workspace_id"]
    token = make_token(app, team["analyst"].id)
    fits, too_long = "é" * limit, "é" * (limit + 1)
    # The API: the limit itself is accepted, one more character refused with the field named.
    made = call(
        client, "POST", f"{API}/workspaces/{wid}/{register}", token, {**api_body, field: fits}
    )
    assert made.status_code == 201, made.get_json()
    refused = call(
        client, "POST", f"{API}/workspaces/{wid}/{register}", token, {**api_body, field: too_long}
    )
    assert refused.status_code == 422
    assert f"at most {limit} characters" in refused.get_json()["error"]["fields"][field]
    # The web form, where the register has a create form.
    if form_path:
        login(client, team["analyst"])
        url = f"/workspaces/{wid}/{form_path}"
        bad = client.post(url, data={**form_data, field: too_long})
        assert bad.status_code == 400
        assert f"under {limit:,} characters" in bad.get_data(as_text=True)
        assert client.post(url, data={**form_data, field: fits}).status_code in {302, 303}
    # The import: a backup carrying the value (the same check serves workbooks and CSV).
    backup.load(_backup_with(app, wid, register, field, fits))
    with pytest.raises(ExchangeRefusedError) as problem:
        backup.load(_backup_with(app, wid, register, field, too_long))
    assert any(f"{field}: longer than {limit} characters" in p for p in problem.value.problems)


def test_an_amount_over_the_money_limit_is_refused_everywhere(
    app: Flask, client: FlaskClient, team: dict[str, Any]
) -> None:
    wid = team["workspace_id"]
    token = make_token(app, team["analyst"].id)
    over = MONEY_MAX + Decimal("0.01")
    base = f"{API}/workspaces/{wid}/initiatives"
    fits = call(client, "POST", base, token, {"title": "Max", "budget": float(MONEY_MAX)})
    assert fits.status_code == 201, fits.get_json()
    refused = call(client, "POST", base, token, {"title": "Over", "budget": float(over)})
    assert refused.status_code == 422 and "budget" in refused.get_json()["error"]["fields"]
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/alignment/initiatives"
    page = client.post(url, data={"title": "Over", "budget": str(over)})
    assert page.status_code == 400 and "Enter an amount from 0 to" in page.get_data(as_text=True)
    backup.load(_backup_with(app, wid, "initiatives", "budget", str(MONEY_MAX)))
    with pytest.raises(ExchangeRefusedError) as problem:
        backup.load(_backup_with(app, wid, "initiatives", "budget", str(Decimal(over))))
    assert any("budget: must be at most" in p for p in problem.value.problems)
