"""The storyboard's application portfolio: a short table with annual cost, and the gaps,
overlaps and contracts ending in words. One query whatever the number of applications."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from workbench.analysis import applications as rules
from workbench.services import applications
from workbench.services.departments import display_name
from workbench.services.report_values_operating import ApplicationRow, ApplicationsSection


def application_section(
    session: Session, currency: str, known: dict[str, str], today: date
) -> ApplicationsSection:
    """Read the portfolio for the operating model chapter, costs in the workspace's currency."""
    rows = applications.list_applications(session)
    found = rules.portfolio(
        [applications.record(row) for row in rows], applications.CAPABILITIES, today
    )
    return ApplicationsSection(
        currency=currency,
        rows=tuple(
            ApplicationRow(
                name=row.name,
                kind=applications.KIND_LABELS.get(row.kind, row.kind),
                owner=row.owner or display_name(known, row.department),
                annual_cost=None if row.annual_cost is None else round(row.annual_cost),
                contract_end=row.contract_end.isoformat() if row.contract_end else None,
            )
            for row in rows
        ),
        total_cost=round(found.total_cost),
        sentences=rules.sentences(found, currency),
    )
