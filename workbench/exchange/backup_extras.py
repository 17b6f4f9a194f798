"""The parts of a JSON backup beside the registers: the branding and the metric feeds' settings.

    "branding": {"accent": "#0F5C63", "logo": {"media_type": "image/png", "base64": "..."}}
    "feeds": [{"metric": "M3", "kind": "sql", "schedule": "daily", "hour": 6,
               "enabled": true, "query": "SELECT ...", "file_path": ""}]

Either may be absent (a backup made before they travelled): no branding, no feeds. A feed
never carries its database address or anything else secret. Here the shape is checked; the
logo and the accent are checked again, by the same rules as an upload, when a backup is
restored (services/exchange_extras.py), and so is a file feed's path.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from workbench.analysis.feed_rows import PATH_MAX, SCHEDULES, check_query
from workbench.analysis.text import clean_text
from workbench.exchange.logo import MAX_BYTES as LOGO_MAX_BYTES
from workbench.exchange.schema import Problems

MEDIA_TYPES = {"image/png": "png", "image/svg+xml": "svg"}
FEED_KINDS = ("sql", "file")
FEED_FIELDS = ("metric", "kind", "schedule", "hour", "enabled", "query", "file_path")
ACCENT_MAX = 40
# Base64 takes 4 characters for every 3 bytes; a little room for line breaks.
_LOGO_TEXT_MAX = (LOGO_MAX_BYTES + 2) // 3 * 4 + 1024


def _unknown(raw: dict[str, Any], known: tuple[str, ...], place: str, problems: Problems) -> None:
    for unknown in sorted(set(raw) - set(known))[:5]:
        problems.add(place, f"unknown field {unknown[:40]!r}")


def _logo(raw: Any, problems: Problems) -> tuple[str, bytes] | None:
    place = "branding: logo"
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.add(place, "expected an object with media_type and base64")
        return None
    _unknown(raw, ("media_type", "base64"), place, problems)
    media_type = raw.get("media_type")
    if media_type not in MEDIA_TYPES:
        problems.add(place, "media_type must be image/png or image/svg+xml")
        return None
    text = raw.get("base64")
    if not isinstance(text, str) or not text.strip():
        problems.add(place, "base64 must be the logo file written as base64 text")
        return None
    if len(text) > _LOGO_TEXT_MAX:
        problems.add(
            place, f"the logo is larger than {LOGO_MAX_BYTES // 1024} KB, the most a logo may be"
        )
        return None
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        problems.add(place, "base64 is not valid base64 text")
        return None
    return MEDIA_TYPES[str(media_type)], data


def parse_branding(raw: Any, problems: Problems) -> dict[str, Any] | None:
    """Check the branding object's shape: {"accent": text or null, "logo": object or null}."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.add("branding", "expected an object with accent and logo, or null")
        return None
    _unknown(raw, ("accent", "logo"), "branding", problems)
    accent = raw.get("accent")
    if accent is not None and (not isinstance(accent, str) or len(accent) > ACCENT_MAX):
        problems.add("branding: accent", "expected a colour written as # and six digits, or null")
        accent = None
    logo = _logo(raw.get("logo"), problems)
    return {"accent": accent, "logo": logo}


def _text(raw: dict[str, Any], name: str, place: str, problems: Problems) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(place, f"{name}: expected text")
        return ""
    return clean_text(value, trim=False)


def _feed(raw: Any, place: str, problems: Problems) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        problems.add(place, "expected an object")
        return None
    before = len(problems.items)
    _unknown(raw, FEED_FIELDS, place, problems)
    metric = raw.get("metric")
    if not isinstance(metric, str) or not metric.strip():
        problems.add(place, "metric: expected the key of a row of metrics")
    kind = raw.get("kind")
    if kind not in FEED_KINDS:
        problems.add(place, "kind: expected sql or file")
    schedule = raw.get("schedule")
    if schedule not in SCHEDULES:
        problems.add(place, f"schedule: expected one of {', '.join(SCHEDULES)}")
    hour = raw.get("hour")
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        problems.add(place, "hour: expected a whole number from 0 to 23 (UTC)")
    enabled = raw.get("enabled")
    if not isinstance(enabled, bool):
        problems.add(place, "enabled: expected true or false")
    query = _text(raw, "query", place, problems)
    file_path = _text(raw, "file_path", place, problems)
    if kind == "sql":
        problem = check_query(query)
        if problem:
            problems.add(place, f"query: {problem}")
    elif kind == "file":
        if not file_path.strip():
            problems.add(place, "file_path: a file feed needs the path of its file")
        elif len(file_path) > PATH_MAX:
            problems.add(place, f"file_path: longer than {PATH_MAX} characters")
    if len(problems.items) > before:
        return None
    return {
        "metric": str(metric).strip(),
        "kind": kind,
        "schedule": schedule,
        "hour": hour,
        "enabled": enabled,
        "query": query if kind == "sql" else "",
        "file_path": file_path if kind == "file" else "",
    }


def parse_feeds(raw: Any, metric_keys: set[str], problems: Problems) -> list[dict[str, Any]]:
    """Check the feeds list: known fields, one feed per metric, each naming a metric row."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add("feeds", "expected a list of feeds")
        return []
    if len(raw) > max(len(metric_keys), 1):
        problems.add("feeds", "more feeds than metrics (a metric has at most one feed)")
        return []
    feeds: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, raw_feed in enumerate(raw, start=1):
        place = f"feeds row {index}"
        feed = _feed(raw_feed, place, problems)
        if feed is None:
            continue
        if feed["metric"] not in metric_keys:
            problems.add(place, f"metric: {feed['metric'][:40]!r} is not a row of metrics")
        elif feed["metric"] in seen:
            problems.add(place, f"metric: {feed['metric'][:40]!r} has a feed already")
        seen.add(feed["metric"])
        feeds.append(feed)
    return feeds


def branding_document(accent: str | None, kind: str | None, logo: bytes | None) -> dict[str, Any]:
    """The branding object a backup writes: the accent and the stored logo as base64."""
    media = {value: name for name, value in MEDIA_TYPES.items()}
    return {
        "accent": accent,
        "logo": None
        if not kind or not logo
        else {"media_type": media[kind], "base64": base64.b64encode(logo).decode("ascii")},
    }
