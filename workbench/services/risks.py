"""The risk register's rows: risks from Phase 1 barriers and the initiatives that mitigate them,
read, added, edited and deleted (the register as people read it is in services/risk_views.py;
the rules in workbench.analysis.risks)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis import risks as rules
from workbench.models import (
    Factor,
    Initiative,
    Polarity,
    Risk,
    RiskFactor,
    RiskInitiative,
    RiskStatus,
)
from workbench.models.catalogue.alignment import RISKS
from workbench.services.concurrency import apply_versioned_edit
from workbench.services.errors import NotFoundError, ServiceError

FIELDS = tuple(spec.name for spec in RISKS.fields)
TEXTS = ("cause", "owner", "mitigation")
STATUS_LABELS = dict(RISKS.field("status").choices)


def list_risks(session: Session) -> list[Risk]:
    """Return the workspace's risks in the order they were added."""
    return list(session.scalars(select(Risk).order_by(Risk.position, Risk.id)))


def get_risk(session: Session, risk_id: int) -> Risk:
    """Return a risk of the session's workspace or raise NotFoundError."""
    row = session.get(Risk, risk_id)
    if row is None:
        raise NotFoundError("That risk no longer exists; someone may have deleted it.")
    return row


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """The values a risk stores, refused with a message naming the field when out of range."""
    title = str(values.get("title") or "").strip()
    if not title:
        raise ServiceError("Give the risk a title.", "title")
    limit = RISKS.field("title").max_length or 200
    if len(title) > limit:
        raise ServiceError(f"Keep the title to {limit} characters.", "title")
    checked: dict[str, Any] = {"title": title}
    for name in ("likelihood", "impact"):
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value not in rules.SCALE:
            raise ServiceError(f"Choose a {name} from 1 to 5.", name)
        checked[name] = value
    status = values.get("status") or RiskStatus.OPEN
    try:
        checked["status"] = RiskStatus(status)
    except ValueError:
        raise ServiceError("Choose open, mitigating, closed or accepted.", "status") from None
    review = values.get("review_date")
    if review is not None and not isinstance(review, date):
        raise ServiceError("Give the review date as a date.", "review_date")
    checked["review_date"] = review
    for name in TEXTS:
        checked[name] = str(values.get(name) or "")
    return checked


def _set_links(
    session: Session, risk_id: int, factor_ids: set[int], initiative_ids: set[int]
) -> None:
    # The same rule refuses a file linking a risk to a factor that is not a barrier.
    polarity = {
        factor_id: value.value
        for factor_id, value in session.execute(
            select(Factor.id, Factor.polarity).where(Factor.id.in_(factor_ids))
        )
    }
    if not all(rules.may_come_from(polarity.get(factor_id)) for factor_id in factor_ids):
        raise ServiceError(
            "Some chosen barriers no longer exist or are no longer barriers; reload and "
            "choose again.",
            "factors",
        )
    known = set(session.scalars(select(Initiative.id).where(Initiative.id.in_(initiative_ids))))
    if initiative_ids - known:
        raise ServiceError(
            "Some chosen initiatives no longer exist; reload and choose again.", "initiatives"
        )
    for model, column, wanted in (
        (RiskFactor, "factor_id", factor_ids),
        (RiskInitiative, "initiative_id", initiative_ids),
    ):
        links = {
            getattr(link, column): link
            for link in session.scalars(select(model).where(model.risk_id == risk_id))
        }
        for target in sorted(wanted - links.keys()):
            session.add(model(risk_id=risk_id, **{column: target}))
        for target in links.keys() - wanted:
            session.delete(links[target])
    session.flush()


def create_risk(
    session: Session, values: dict[str, Any], factor_ids: set[int], initiative_ids: set[int]
) -> Risk:
    """Add a risk at the end of the register, with the barriers and initiatives chosen."""
    checked = _checked(values)
    highest = session.scalar(select(func.max(Risk.position)))
    row = Risk(**checked, position=(highest or 0) + 1)
    session.add(row)
    session.flush()
    _set_links(session, row.id, factor_ids, initiative_ids)
    return row


def update_risk(
    session: Session,
    risk_id: int,
    loaded_version: int | None,
    values: dict[str, Any],
    factor_ids: set[int],
    initiative_ids: set[int],
) -> Risk:
    """Save a risk unless someone changed the same fields since the form was loaded."""
    row = get_risk(session, risk_id)
    checked = _checked(values)
    apply_versioned_edit(row, loaded_version, checked, f"The risk “{row.title}”")
    _set_links(session, risk_id, factor_ids, initiative_ids)
    session.flush()
    return row


def delete_risk(session: Session, risk_id: int) -> str:
    """Delete a risk (its links go with it); return its title."""
    row = get_risk(session, risk_id)
    title = row.title
    session.delete(row)
    session.flush()
    return title


def linked_ids(session: Session, risk_id: int) -> tuple[set[int], set[int]]:
    """Return the barrier ids and the initiative ids linked to a risk."""
    factors = set(
        session.scalars(select(RiskFactor.factor_id).where(RiskFactor.risk_id == risk_id))
    )
    initiatives = set(
        session.scalars(
            select(RiskInitiative.initiative_id).where(RiskInitiative.risk_id == risk_id)
        )
    )
    return factors, initiatives


def barriers(session: Session) -> list[Factor]:
    """Return the barrier factors, most important first."""
    return list(
        session.scalars(
            select(Factor)
            .where(Factor.polarity == Polarity.BARRIER)
            .order_by(Factor.importance.desc(), Factor.title, Factor.id)
        )
    )


def risks_from_factor(session: Session, factor_id: int) -> list[Risk]:
    """Return the risks a barrier gives rise to, highest score first."""
    rows = session.scalars(
        select(Risk)
        .join(RiskFactor, RiskFactor.risk_id == Risk.id)
        .where(RiskFactor.factor_id == factor_id)
        .order_by(Risk.id)
    )
    return sorted(rows, key=lambda r: -rules.score(r.likelihood, r.impact))
