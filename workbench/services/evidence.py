"""The published evidence from seeds/evidence.yaml, read once and reused while unchanged."""

from __future__ import annotations

from pathlib import Path

import yaml
from flask import current_app

from workbench.analysis.evidence import (
    Evidence,
    EvidenceError,
    EvidenceLibrary,
    ToughestCustomers,
    parse_evidence,
)
from workbench.config import seeds_dir
from workbench.services.errors import ServiceError

FILE_NAME = "evidence.yaml"
METRICS_FILE = "metric_library.yaml"
MAX_FILE_BYTES = 64 * 1024

_cache: dict[Path, tuple[tuple[float, int, float, int], EvidenceLibrary]] = {}


def _read(path: Path) -> object:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ServiceError(f"{path.name}: is larger than {MAX_FILE_BYTES // 1024} KB")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _metric_keys(path: Path) -> set[str]:
    # Read without the size limit: the metric library is ours and checked by the seeding.
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = document.get("metrics") if isinstance(document, dict) else None
    return {str(entry.get("key")) for entry in entries or [] if isinstance(entry, dict)}


def load_library(folder: Path) -> EvidenceLibrary:
    """Read and validate the evidence in `folder`; reuse it while neither file changed."""
    path, metrics = folder / FILE_NAME, folder / METRICS_FILE
    try:
        own, library = path.stat(), metrics.stat()
        stamp = (own.st_mtime, own.st_size, library.st_mtime, library.st_size)
        cached = _cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        document = _read(path)
        keys = _metric_keys(metrics)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ServiceError(f"{FILE_NAME}: cannot be read ({error})") from error
    try:
        result = parse_evidence(document, FILE_NAME, keys)
    except EvidenceError as error:
        raise ServiceError(str(error)) from error
    _cache[path] = (stamp, result)
    return result


def _library() -> EvidenceLibrary:
    return load_library(seeds_dir(current_app.config))


def for_page(page: str) -> tuple[Evidence, ...]:
    """The claims shown on one page of the running application."""
    return _library().for_page(page)


def for_metric(metric_key: str | None) -> tuple[Evidence, ...]:
    """The claims that inform a library metric's target; none for a custom metric."""
    return _library().for_metric(metric_key) if metric_key else ()


def for_targets() -> tuple[Evidence, ...]:
    """The claims that inform the targets of the metric library."""
    return _library().for_targets()


def toughest_customers() -> ToughestCustomers:
    """The guidance for customers who stay angry after a sound recovery."""
    return _library().toughest
