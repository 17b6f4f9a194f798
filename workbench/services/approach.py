"""Prevent or recover: the guidance from the seeds and the balance of the workspace's plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.alignment_records import AlignmentInput
from workbench.analysis.approach_balance import ApproachBalance, ScenarioRecord, approach_balance
from workbench.analysis.approach_guidance import Guidance, GuidanceError, parse_guidance
from workbench.charts import plots
from workbench.charts.approach import approach_chart
from workbench.config import seeds_dir
from workbench.models import FailureScenario
from workbench.models.vocabulary import SEVERITIES
from workbench.services.errors import ServiceError

FILE_NAME = "approach_guidance.yaml"
MAX_FILE_BYTES = 64 * 1024

_cache: dict[Path, tuple[tuple[float, int], Guidance]] = {}


def load_guidance(folder: Path) -> Guidance:
    """Read and validate the guidance in `folder`; reuse it while the file is unchanged."""
    path = folder / FILE_NAME
    try:
        status = path.stat()
        stamp = (status.st_mtime, status.st_size)
        cached = _cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        if status.st_size > MAX_FILE_BYTES:
            raise ServiceError(f"{FILE_NAME}: is larger than {MAX_FILE_BYTES // 1024} KB")
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ServiceError(f"{FILE_NAME}: cannot be read ({error})") from error
    try:
        guidance = parse_guidance(document, FILE_NAME, SEVERITIES)
    except GuidanceError as error:
        raise ServiceError(str(error)) from error
    _cache[path] = (stamp, guidance)
    return guidance


def guidance() -> Guidance:
    """The guidance of the running application's seeds folder."""
    return load_guidance(seeds_dir(current_app.config))


def scenario_records(rows: Iterable[FailureScenario]) -> list[ScenarioRecord]:
    """What the reading needs of each playbook scenario."""
    return [
        ScenarioRecord(
            name=row.name,
            severity=row.severity,
            foreseeable=bool(row.foreseeable),
            cases_per_year=row.expected_cases_per_year,
            ready=bool(
                row.responder.strip()
                and row.customer_message.strip()
                and row.target_response_minutes
            ),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ApproachView:
    """The balance for the gaps page, with its chart and the guidance it was read against."""

    balance: ApproachBalance
    guidance: Guidance
    chart_uri: str | None


def chart_rows(balance: ApproachBalance) -> list[tuple[str, float, float, float]]:
    """The chart's rows, the total first: (label, prevent, recover, not chosen) budgets."""
    rows = [balance.overall, *balance.by_objective]
    return [
        (row.label, row.shares[0].budget, row.shares[1].budget, row.shares[2].budget)
        for row in rows
    ]


def page(session: Session, data: AlignmentInput, currency: str) -> ApproachView:
    """The balance of the plan against the playbook (one query beside `data`)."""
    rules = guidance()
    scenarios = scenario_records(session.scalars(select(FailureScenario)))
    balance = approach_balance(data, scenarios, rules, currency)
    chart = None
    if balance.overall.budget > 0:
        chart = plots.data_uri(approach_chart(chart_rows(balance), currency).render())
    return ApproachView(balance, rules, chart)
