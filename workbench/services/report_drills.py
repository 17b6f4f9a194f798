"""The storyboard's drill values: the drills held with their verdicts and the gaps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from workbench.analysis.drills import MET, MISSED, TOO_FEW
from workbench.models import FailureScenario
from workbench.services import drill_views
from workbench.services.report_values_operating import DrillRow, DrillSection, ScenarioDrillRow


def drill_section(
    session: Session, today: date, scenarios: Sequence[FailureScenario]
) -> DrillSection:
    """The drills held by date with their verdicts, each scenario's record and the gaps."""
    board = drill_views.board(session, today, scenarios)
    return DrillSection(
        held=tuple(
            DrillRow(
                line.scenario,
                line.planned_on.isoformat(),
                line.outcome,
                line.contact_minutes,
                line.target_minutes,
                line.reasons,
                line.lessons,
            )
            for line in board.lines
            if line.outcome in {MET, MISSED}
        ),
        scenarios=tuple(
            ScenarioDrillRow(
                record.name,
                record.held,
                record.last_outcome,
                "" if record.trend.direction == TOO_FEW else record.trend.words,
                record.next_planned.isoformat() if record.next_planned else None,
            )
            for record in board.scenarios
        ),
        never_drilled=tuple(record.name for record in board.never_drilled),
        last_missed=tuple(record.name for record in board.last_missed),
        overdue=len(board.overdue),
    )
