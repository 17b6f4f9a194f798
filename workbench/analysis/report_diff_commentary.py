"""What changed in the team's commentary between two versions of a storyboard."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from workbench.analysis.board_packs import SECTION_KEYS, SECTION_TITLES
from workbench.analysis.report_diff_format import Change, as_list, as_map


def commentary_rows(value: Any) -> Any:
    """The commentary (section key -> html and paragraphs) as rows of title and plain text.

    Wrapped in one object so a view added or removed is compared, not cut away as a key
    only one version has. A version from before commentary existed has no value here.
    """
    views = as_map(value)
    if not isinstance(value, Mapping):
        return value
    rows = []
    for key in SECTION_KEYS:
        if key in views:
            paragraphs = as_list(as_map(views[key]).get("paragraphs"))
            rows.append([SECTION_TITLES[key], " ".join(str(p) for p in paragraphs)])
    return {"rows": rows}


def _texts(side: Mapping[str, Any]) -> dict[str, str]:
    return {str(row[0]): str(row[1]) for row in as_list(side.get("rows")) if len(row) == 2}


def commentary_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], _currency: str
) -> Iterator[Change]:
    """Each section's view written, withdrawn or rewritten."""
    old, new = _texts(before), _texts(after)
    for title in [*old, *(t for t in new if t not in old)]:
        if title not in old:
            yield Change(f"Our view on “{title}” was added", title, None, new[title])
        elif title not in new:
            yield Change(f"Our view on “{title}” was taken out", title, old[title], None)
        elif old[title] != new[title]:
            yield Change(f"Our view on “{title}” was rewritten", title, old[title], new[title])
