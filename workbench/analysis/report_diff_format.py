"""The building blocks of the version comparison: reading rows safely, writing values plainly.

Rows of a plain report context are JSON objects (a dataclass) or arrays (a NamedTuple); an
older snapshot may hold either, or something else entirely. Every reader here returns an
empty value for a shape it does not know instead of raising.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple

from workbench.analysis.dates import format_date
from workbench.analysis.measures import format_measure

# How many names an "added" or "removed" sentence spells out before "and N more".
MAX_NAMES = 5


class Change(NamedTuple):
    """One change as a sentence, with what it is about and its old and new values."""

    text: str
    subject: str = ""
    before: str | None = None
    after: str | None = None


Rows = dict[str, Any]


def as_map(value: Any) -> Mapping[str, Any]:
    """The value when it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """The value when it is a JSON array, else an empty one."""
    return list(value) if isinstance(value, list | tuple) else []


def row_name(row: Any) -> str | None:
    """A row's title or name: a string row itself, an object's title/name, an array's first."""
    if isinstance(row, str):
        return row
    if isinstance(row, Mapping):
        name = row.get("title", row.get("name"))
    elif isinstance(row, list | tuple) and row:
        name = row[0]
    else:
        return None
    return name if isinstance(name, str) else None


def named_rows(rows: Any) -> Rows:
    """Rows by their name, in order; a repeated name gets its position, as in "X (2)"."""
    found: Rows = {}
    for row in as_list(rows):
        name = row_name(row)
        if name is None:
            continue
        key, n = name, 1
        while key in found:
            n += 1
            key = f"{name} ({n})"
        found[key] = row
    return found


def common(old: Any, new: Any) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """Two objects cut to the keys both have: a field one version lacks has nothing to say."""
    before, after = as_map(old), as_map(new)
    shared = {k for k in before.keys() & after.keys() if _comparable(before[k], after[k])}
    return {k: before[k] for k in shared}, {k: after[k] for k in shared}


def differs(old: Any, new: Any) -> bool:
    """Whether two values differ in what both versions record (keys one lacks are ignored)."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        before, after = common(old, new)
        return any(differs(before[k], after[k]) for k in before)
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return len(old) != len(new) or any(differs(a, b) for a, b in zip(old, new, strict=True))
    return bool(old != new)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, bool):
        return "bool"
    return "number" if _number(value) else type(value).__name__


def _comparable(before: Any, after: Any) -> bool:
    """Whether two values have the same shape (nothing compares with anything)."""
    return before is None or after is None or _kind(before) == _kind(after)


def field(row: Any, key: str | int, index: int | None = None) -> Any:
    """A field of a row: by key in an object, by position in an array; None when absent."""
    if isinstance(row, Mapping):
        return row.get(key) if isinstance(key, str) else None
    position = key if isinstance(key, int) else index
    if isinstance(row, list | tuple) and position is not None and 0 <= position < len(row):
        return row[position]
    return None


def same(before: Any, after: Any) -> bool:
    """Whether two values read the same (empty text and nothing are the same)."""
    if _number(before) or _number(after):
        return bool(before == after)
    return bool((before or None) == (after or None))


def _number(value: Any) -> bool:
    """A finite number (JSON never holds infinity, but a hand-edited snapshot might)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def number(value: float) -> str:
    """A number with thousands separators and only the decimals it has (at most one)."""
    rounded = round(float(value), 1)
    if rounded.is_integer():
        return f"{rounded:,.0f}"
    return f"{rounded:,.1f}"


def plain(value: Any) -> str:
    """Any value as short reader text: numbers with separators, yes/no, "none"."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _number(value):
        return number(value)
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value) or "none"
    return str(value).replace("_", " ")


def money(value: Any, currency: str) -> str:
    """An amount with its currency and no pence: "GBP 40,000"."""
    if not _number(value):
        return "none"
    return f"{currency} {round(value):,}".strip()


def measure(value: Any, unit: Any, currency: str = "") -> str:
    """A metric value as the report writes it: "82%", "410 min", "GBP 24,000"."""
    if not _number(value):
        return "none"
    return format_measure(value, unit if isinstance(unit, str) else None, currency)


def day(value: Any) -> str:
    """An ISO date as the report writes it, "1 March 2026"; anything else as plain text."""
    try:
        parsed = date.fromisoformat(str(value)[:10])
    except ValueError:
        return plain(value)
    return format_date(parsed)


def moved(subject: str, verb: str, before: str, after: str) -> Change:
    """A value that changed: "Budget of 'X' raised from GBP 40,000 to GBP 52,000"."""
    return Change(f"{subject} {verb} from {before} to {after}", subject, before, after)


def named_list(names: list[str]) -> str:
    """Names in quotes, the first few spelt out: "'A', 'B' and 3 more"."""
    quoted = [f"'{n}'" for n in names[:MAX_NAMES]]
    rest = len(names) - len(quoted)
    if rest:
        return ", ".join(quoted) + f" and {rest} more"
    if len(quoted) > 1:
        return ", ".join(quoted[:-1]) + " and " + quoted[-1]
    return quoted[0] if quoted else ""


def _plural(noun: str) -> str:
    if noun.endswith("y") and not noun.endswith(("ay", "ey", "oy")):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x")) else "s")


def counted(count: int, noun: str) -> str:
    """ "1 initiative", "3 initiatives"."""
    return f"{count} {noun if count == 1 else _plural(noun)}"


def named_change(noun: str, names: list[str], verb: str) -> Iterable[Change]:
    """Rows that went one way, by name: "3 initiatives added: 'A', 'B' and 'C'"."""
    if not names:
        return
    listed = named_list(names)
    if len(names) == 1:
        text = f"{noun.capitalize()} {listed} {verb}"
    else:
        text = f"{counted(len(names), noun)} {verb}: {listed}"
    subject = f"{_plural(noun).capitalize()} {verb}"
    # What was there before and what is there after, for the compare page's columns.
    before, after = (None, listed) if verb == "added" else (listed, None)
    yield Change(text, subject, before, after)


def rows_added_removed(noun: str, old: Rows, new: Rows) -> Iterable[Change]:
    """Rows added and removed, matched by name."""
    yield from named_change(noun, [name for name in new if name not in old], "added")
    yield from named_change(noun, [name for name in old if name not in new], "removed")


def text_fields(
    old: Mapping[str, Any], new: Mapping[str, Any], labels: Iterable[tuple[str, str]]
) -> Iterable[Change]:
    """Long texts that changed, by which field only: "The vision was rewritten"."""
    for key, label in labels:
        before, after = old.get(key), new.get(key)
        if same(before, after) or key not in old or key not in new:
            continue
        if not before:
            yield Change(f"The {label} was written")
        elif not after:
            yield Change(f"The {label} was removed")
        else:
            yield Change(f"The {label} was rewritten")


def short_value(label: str, before: Any, after: Any) -> Iterable[Change]:
    """A short value (an industry, a verdict) that changed, with both values."""
    if same(before, after):
        return
    if not before:
        yield Change(f"{label} set to {plain(after)}", label, "none", plain(after))
    elif not after:
        yield Change(f"{label} removed (was {plain(before)})", label, plain(before), "none")
    else:
        yield moved(label, "changed", plain(before), plain(after))


def score(label: str, before: Any, after: Any, unit: str = "") -> Iterable[Change]:
    """A score (out of 100, or a percentage with `unit` "%") that rose or fell, as shown."""
    if not _number(before) and not _number(after):
        return
    if not _number(before):
        now = f"{round(after)}{unit}"
        yield Change(f"{label} is now {now} (none before)", label, "none", now)
        return
    if not _number(after):
        was = f"{round(before)}{unit}"
        yield Change(f"{label} can no longer be computed (was {was})", label, was, "none")
        return
    was_n, now_n = round(before), round(after)
    if was_n != now_n:
        verb = "rose" if now_n > was_n else "fell"
        yield moved(label, verb, f"{was_n}{unit}", f"{now_n}{unit}")


def amount(label: str, before: Any, after: Any, currency: str) -> Iterable[Change]:
    """An amount of money that was raised or cut: "Budget of 'X' raised from A to B"."""
    if not _number(before) and not _number(after):
        return
    was, now = money(before, currency), money(after, currency)
    if was == now:
        return
    if not _number(before):
        yield Change(f"{label} set at {now}", label, "none", now)
    elif not _number(after):
        yield Change(f"{label} removed (was {was})", label, was, "none")
    else:
        yield moved(label, "raised" if after > before else "cut", was, now)


FieldSpec = tuple[str | int, str, Callable[[Any], str]]


def row_fields(old: Rows, new: Rows, specs: Iterable[FieldSpec]) -> Iterable[Change]:
    """For rows in both versions, each listed field that changed: "Status of 'X' changed..."."""
    chosen = tuple(specs)
    for name, row in new.items():
        if name not in old:
            continue
        before, after = old[name], row
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            before, after = common(before, after)
        for key, label, show in chosen:
            was, now = field(before, key), field(after, key)
            if same(was, now):
                continue
            shown_was, shown_now = show(was), show(now)
            if shown_was != shown_now:
                # A label may place the name itself ("Initiatives linked to '{name}'").
                subject = label.format(name=name) if "{name}" in label else f"{label} of '{name}'"
                yield moved(subject, "changed", shown_was, shown_now)


def count_change(label: str, before: Any, after: Any) -> Iterable[Change]:
    """Say how a list's length went from one version to the other, when both are lists."""
    was, now = len(as_list(before)), len(as_list(after))
    if was != now and isinstance(before, list) and isinstance(after, list):
        yield moved(label, "went", str(was), str(now))
