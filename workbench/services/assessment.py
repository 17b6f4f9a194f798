"""The Phase 1 overview: the viability verdict with its charts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from workbench.analysis.aggregation import InstrumentResult
from workbench.analysis.viability import DimensionInput, FactorInput, Viability, assess_viability
from workbench.charts import plots
from workbench.models.vocabulary import CATEGORY_LABELS
from workbench.services import factors as factor_service
from workbench.services import instruments
from workbench.services.journey import StageView, journey


def instruments_folder() -> Path:
    """Return the folder the instrument definitions are read from."""
    return Path(current_app.config["ASSESSMENTS_DIR"])


@dataclass(frozen=True)
class AssessmentOverview:
    """Everything the assessment overview page shows."""

    viability: Viability
    readiness: InstrumentResult | None
    readiness_title: str
    factor_count: int
    radar_uri: str | None
    balance_uri: str | None
    balance_rows: list[tuple[str, int, int, int]]
    stages: list[StageView]


def overview(session: Session) -> AssessmentOverview:
    """Compute the verdict, the readiness results and the charts for the workspace."""
    all_factors = factor_service.list_factors(session)
    catalogue = instruments.load_catalogue(instruments_folder())
    readiness = None
    readiness_title = "Service recovery readiness"
    try:
        instrument = catalogue.get(instruments.READINESS_KEY)
    except Exception:
        instrument = None
    dimensions: list[DimensionInput] = []
    if instrument is not None:
        readiness_title = instrument.title
        readiness = instruments.results(session, instrument)
        if readiness.respondents == 0:
            readiness = None
        else:
            dimensions = [
                DimensionInput(d.title, d.score)
                for d in readiness.dimensions
                if d.score is not None
            ]
    verdict = assess_viability(
        [FactorInput(f.title, f.polarity.value, f.importance) for f in all_factors],
        readiness.overall_score if readiness else None,
        dimensions,
    )
    radar = None
    if readiness is not None:
        radar = plots.data_uri(
            plots.radar_svg(
                [d.title for d in readiness.dimensions], [d.score for d in readiness.dimensions]
            )
        )
    rows = []
    sums: dict[str, list[int]] = {"driver": [], "enabler": [], "barrier": []}
    for category, label in CATEGORY_LABELS.items():
        in_category = [f for f in all_factors if f.category == category]
        values = {
            polarity: sum(f.importance for f in in_category if f.polarity.value == polarity)
            for polarity in sums
        }
        for polarity, total in values.items():
            sums[polarity].append(total)
        rows.append((label, values["driver"], values["enabler"], values["barrier"]))
    balance = None
    if all_factors:
        balance = plots.data_uri(plots.balance_svg(list(CATEGORY_LABELS.values()), sums))
    return AssessmentOverview(
        viability=verdict,
        readiness=readiness,
        readiness_title=readiness_title,
        factor_count=len(all_factors),
        radar_uri=radar,
        balance_uri=balance,
        balance_rows=rows,
        stages=journey(session),
    )
