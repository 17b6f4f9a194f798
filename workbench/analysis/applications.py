"""The application portfolio's rules: coverage of capabilities, gaps, overlaps, contracts, cost.

Pure logic: plain records in, frozen values out. The rules, exactly as computed:

* A capability is covered by every application that lists its key; keys that are not in
  the capability list are ignored.
* A gap is a customer service management (CSM) capability that no application covers.
* An overlap is any capability covered by two or more applications; its combined cost is
  the sum of those applications' annual costs (an application without a cost adds nothing
  and is counted apart as unpriced).
* A contract is ending when its end date lies from today to `ENDING_DAYS` days after it,
  both included; a contract that ended before today has lapsed.
* The total annual cost is the sum of the priced applications' annual costs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from workbench.analysis.dates import format_date

# Time to renegotiate, replace or retire a system before its contract renews.
ENDING_DAYS = 180


@dataclass(frozen=True)
class Capability:
    """Something an application can do for recovery; `csm` marks the five CSM capabilities."""

    key: str
    label: str
    csm: bool


@dataclass(frozen=True)
class AppRecord:
    """An application as the rules read it."""

    id: int
    name: str
    annual_cost: float | None
    contract_end: date | None
    capabilities: frozenset[str]


@dataclass(frozen=True)
class Overlap:
    """A capability two or more applications cover, and what they cost together a year."""

    capability: Capability
    applications: tuple[AppRecord, ...]
    combined_cost: float
    unpriced: int


@dataclass(frozen=True)
class Contract:
    """An application whose contract ends soon (or has ended), with the days left."""

    application: AppRecord
    days_left: int


@dataclass(frozen=True)
class Portfolio:
    """The portfolio read as a whole: cost, coverage matrix, gaps, overlaps and contracts."""

    applications: tuple[AppRecord, ...]
    capabilities: tuple[Capability, ...]
    total_cost: float
    unpriced: tuple[AppRecord, ...]
    # One row per application: whether it covers each capability, in the capabilities' order.
    matrix: tuple[tuple[AppRecord, tuple[bool, ...]], ...]
    gaps: tuple[Capability, ...]
    overlaps: tuple[Overlap, ...]
    ending: tuple[Contract, ...]
    lapsed: tuple[Contract, ...]

    def covering(self, key: str) -> tuple[AppRecord, ...]:
        """Return the applications covering a capability, in the portfolio's order."""
        return tuple(app for app in self.applications if key in app.capabilities)


def capabilities_of(rows: Iterable[tuple[str, str, bool]]) -> tuple[Capability, ...]:
    """Turn (key, label, csm) rows into capabilities."""
    return tuple(Capability(key, label, csm) for key, label, csm in rows)


def total_cost(apps: Iterable[AppRecord]) -> float:
    """Return the sum of the priced applications' annual costs."""
    return sum(app.annual_cost for app in apps if app.annual_cost is not None)


def gaps(apps: Sequence[AppRecord], capabilities: Sequence[Capability]) -> tuple[Capability, ...]:
    """Return the CSM capabilities no application covers."""
    covered = {key for app in apps for key in app.capabilities}
    return tuple(c for c in capabilities if c.csm and c.key not in covered)


def overlaps(apps: Sequence[AppRecord], capabilities: Sequence[Capability]) -> tuple[Overlap, ...]:
    """Return each capability covered by two or more applications, with their combined cost."""
    found = []
    for capability in capabilities:
        covering = tuple(app for app in apps if capability.key in app.capabilities)
        if len(covering) >= 2:
            found.append(
                Overlap(
                    capability,
                    covering,
                    total_cost(covering),
                    sum(1 for app in covering if app.annual_cost is None),
                )
            )
    return tuple(found)


def contracts(
    apps: Sequence[AppRecord], today: date, days: int = ENDING_DAYS
) -> tuple[tuple[Contract, ...], tuple[Contract, ...]]:
    """Return the contracts ending within `days` of today and those already ended, soonest first."""
    ending, lapsed = [], []
    for app in apps:
        if app.contract_end is None:
            continue
        left = (app.contract_end - today).days
        if left < 0:
            lapsed.append(Contract(app, left))
        elif left <= days:
            ending.append(Contract(app, left))

    def order(contract: Contract) -> tuple[int, str]:
        return contract.days_left, contract.application.name.casefold()

    return tuple(sorted(ending, key=order)), tuple(sorted(lapsed, key=order))


def portfolio(
    apps: Sequence[AppRecord], capabilities: Sequence[Capability], today: date
) -> Portfolio:
    """Read the portfolio: total cost, coverage matrix, gaps, overlaps and contracts."""
    ending, lapsed = contracts(apps, today)
    return Portfolio(
        applications=tuple(apps),
        capabilities=tuple(capabilities),
        total_cost=total_cost(apps),
        unpriced=tuple(app for app in apps if app.annual_cost is None),
        matrix=tuple((app, tuple(c.key in app.capabilities for c in capabilities)) for app in apps),
        gaps=gaps(apps, capabilities),
        overlaps=overlaps(apps, capabilities),
        ending=ending,
        lapsed=lapsed,
    )


def _money(value: float, currency: str) -> str:
    return f"{currency} {value:,.0f}"


def _names(apps: Sequence[AppRecord]) -> str:
    names = [app.name for app in apps]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def sentences(found: Portfolio, currency: str) -> tuple[str, ...]:
    """The portfolio in words: total cost, gaps, overlaps and contracts ending, each with unit."""
    count = len(found.applications)
    if not count:
        return (
            "No application is recorded yet, so none of the five customer service management "
            "capabilities that raise first contact resolution is known to be covered.",
        )
    words = [
        ("The one application costs " if count == 1 else f"The {count} applications cost ")
        + f"{_money(found.total_cost, currency)} a year in all"
        + (
            f"; {len(found.unpriced)} of them ha{'s' if len(found.unpriced) == 1 else 've'} "
            "no cost recorded."
            if found.unpriced
            else "."
        )
    ]
    if len(found.gaps) == 1:
        words.append(
            f"Gap: no application covers {found.gaps[0].label.lower()}, one of the five "
            "capabilities that raise first contact resolution."
        )
    elif found.gaps:
        listed = "; ".join(c.label.lower() for c in found.gaps)
        words.append(
            "Gaps: no application covers these capabilities that raise first contact "
            f"resolution: {listed}."
        )
    else:
        words.append(
            "Every one of the five capabilities that raise first contact resolution is covered."
        )
    for overlap in found.overlaps:
        words.append(
            f"Overlap: {overlap.capability.label.lower()} is covered by "
            f"{_names(overlap.applications)}, which together cost "
            f"{_money(overlap.combined_cost, currency)} a year."
        )
    for contract in found.ending:
        end = contract.application.contract_end
        when = "today" if contract.days_left == 0 else f"in {contract.days_left} days"
        words.append(
            f"The contract for {contract.application.name} ends on "
            f"{format_date(end) if end else ''}, {when}: renew, replace or retire it."
        )
    for contract in found.lapsed:
        end = contract.application.contract_end
        words.append(
            f"The contract for {contract.application.name} ended on "
            f"{format_date(end) if end else ''}."
        )
    return tuple(words)
