"""What changed between two versions of the storyboard, in sentences a board member reads.

Both versions arrive as the plain data a published snapshot keeps (the report context's
JSON). Rows are matched by their title or name, so a renamed row reads as one removed and
one added. A snapshot made by an older release may lack a section, a field or a row shape:
a section missing on either side has nothing to say, and nothing here raises on odd data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from workbench.analysis.report_diff_commentary import commentary_changes, commentary_rows
from workbench.analysis.report_diff_format import Change, as_map, common, differs
from workbench.analysis.report_diff_operating import front_line_changes, operating_changes
from workbench.analysis.report_diff_sections import (
    alignment_changes,
    assessment_changes,
    decision_changes,
    metric_changes,
    risk_changes,
    strategy_changes,
)

# Beyond this many sentences a section ends with "and N more changes": the page stays short.
MAX_PER_SECTION = 10

Differ = Callable[[Mapping[str, Any], Mapping[str, Any], str], Iterable[Change]]


class Section(NamedTuple):
    """A part of the storyboard the comparison reports on, and how to compare it."""

    key: str
    title: str
    differ: Differ
    # Parts told in another section (the operating model's open points are decisions).
    elsewhere: tuple[str, ...] = ()
    # How the stored value reads as one object (see `_as_section`).
    shape: Callable[[Any], Any] | None = None


SECTIONS = (
    Section("workspace", "Corporate strategy", strategy_changes),
    Section("assessment", "Organisational assessment", assessment_changes),
    Section("alignment", "Initiatives and alignment", alignment_changes),
    Section("operating", "Operating model and playbook", operating_changes, ("open_points",)),
    Section("front_line", "Success stories and training", front_line_changes),
    Section("metrics", "Metrics, goals and economics", metric_changes),
    Section("risks", "Risk register", risk_changes),
    Section("decisions", "Decisions and next steps", decision_changes),
    Section("commentary", "Our view", commentary_changes, shape=commentary_rows),
)

# When a section differs only in ways no sentence describes (a chart's layout, a note).
UNITEMISED = Change("Details changed that this comparison does not list one by one")


@dataclass(frozen=True)
class SectionDiff:
    """One section's changes: the first few in full and how many more there are."""

    key: str
    title: str
    changed: bool
    changes: tuple[Change, ...]
    more: int

    @property
    def more_text(self) -> str:
        """The closing line for the changes left out, or "" when every change is listed."""
        if not self.more:
            return ""
        return f"and {self.more} more change{'s' if self.more != 1 else ''}"


def currency_of(context: Mapping[str, Any]) -> str:
    """The currency the report states money in (its economics' currency), or ""."""
    economics = as_map(as_map(context.get("metrics")).get("economics"))
    currency = economics.get("currency")
    return currency if isinstance(currency, str) else ""


def _as_section(value: Any) -> Any:
    """A section kept as a bare list of rows (the decisions) reads as an object of rows."""
    return {"rows": value} if isinstance(value, list) else value


def section_diff(section: Section, old: Mapping[str, Any], new: Mapping[str, Any]) -> SectionDiff:
    """One section's changes between two plain contexts, at most MAX_PER_SECTION listed."""
    # A key only one version has came with a release, not with the data: it says nothing.
    shape = section.shape or _as_section
    before, after = common(shape(old.get(section.key)), shape(new.get(section.key)))
    before = {k: v for k, v in before.items() if k not in section.elsewhere}
    after = {k: v for k, v in after.items() if k not in section.elsewhere}
    changed = differs(before, after)
    found: list[Change] = []
    if changed:
        currency = currency_of(new) or currency_of(old)
        try:
            found = list(section.differ(before, after, currency))
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            # A shape an older release wrote that this one cannot read: say less, never fail.
            found = []
        # The same fact may be told twice (an initiative's dates and its roadmap bar).
        found = list(dict.fromkeys(found)) or [UNITEMISED]
    shown = found[:MAX_PER_SECTION]
    return SectionDiff(section.key, section.title, changed, tuple(shown), len(found) - len(shown))


def diff_reports(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[SectionDiff]:
    """Every section's changes from `old` to `new` (plain report contexts)."""
    before, after = as_map(old), as_map(new)
    return [section_diff(section, before, after) for section in SECTIONS]
