"""The workspace's currency: the one its business case is kept in, GBP until one is chosen."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.models import EconomicsCase
from workbench.models.vocabulary import DEFAULT_CURRENCY


def workspace_currency(session: Session) -> str:
    """Return the (scoped) workspace's currency code."""
    return session.scalar(select(EconomicsCase.currency)) or DEFAULT_CURRENCY
