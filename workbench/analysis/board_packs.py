"""The storyboard's sections and the packs that choose and order them for an audience.

The section keys are fixed: the report layout, the deck and every stored pack name them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Every chapter of the storyboard, in the order of the full storyboard, with its title.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary for the board"),
    ("perspective", "Perspective and strategy"),
    ("assessment", "Organisational assessment"),
    ("alignment", "Initiatives aligned with objectives"),
    ("operating", "Operating model and playbook"),
    ("metrics", "Metrics and goals"),
    ("roadmap", "Roadmap and delivery"),
    ("risks", "Risks"),
    ("decisions", "Decisions and next steps"),
    ("appendix", "Appendix"),
)
SECTION_KEYS: tuple[str, ...] = tuple(key for key, _title in SECTIONS)
SECTION_TITLES: dict[str, str] = dict(SECTIONS)

# The packs every workspace starts with: (key, name, sections in order).
FULL_PACK_KEY = "leadership-team"
DEFAULT_PACKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("board", "Board", ("summary", "perspective", "risks", "decisions", "appendix")),
    (FULL_PACK_KEY, "Leadership team", SECTION_KEYS),
    ("front-line", "Front line", ("summary", "operating", "metrics")),
)

NAME_MAX = 80


class PackShapeError(ValueError):
    """A pack's sections or name cannot be stored as given."""


def parse_sections(value: str | Iterable[str]) -> tuple[str, ...]:
    """Return the section keys a stored or posted value names, in order, each once.

    A stored value is the keys joined by commas. An unknown key or a repeat is refused, so
    a pack always names real chapters.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    keys = [item.strip() for item in items if item.strip()]
    unknown = [key for key in keys if key not in SECTION_TITLES]
    if unknown:
        raise PackShapeError(f"There is no section called “{unknown[0][:40]}”.")
    if len(set(keys)) != len(keys):
        raise PackShapeError("Each section can appear once in a pack.")
    if not keys:
        raise PackShapeError("Choose at least one section for the pack.")
    return tuple(keys)


def readable_sections(value: str) -> tuple[str, ...]:
    """Return the known section keys a stored value names, each once, in order.

    What a restored file or an older release stored is read leniently: unknown keys are
    skipped, and a pack left with none shows every section rather than an empty document.
    """
    keys = [key.strip() for key in value.split(",") if key.strip() in SECTION_TITLES]
    return tuple(dict.fromkeys(keys)) or SECTION_KEYS


def join_sections(keys: Sequence[str]) -> str:
    """Return section keys as stored: joined by commas, in order."""
    return ",".join(keys)


def moved(keys: Sequence[str], key: str, step: int) -> tuple[str, ...]:
    """Return the keys with `key` moved one place up (step -1) or down (+1); ends stay put."""
    order = list(keys)
    if key not in order:
        raise PackShapeError("That section is not in the pack.")
    index = order.index(key)
    target = index + step
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    return tuple(order)


def pack_key(name: str, taken: Iterable[str]) -> str:
    """Return a stable key for a new pack named `name`, unlike every key in `taken`."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40] or "pack"
    used = set(taken)
    key, number = base, 2
    while key in used:
        key = f"{base}-{number}"
        number += 1
    return key
