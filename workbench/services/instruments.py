"""Assessment instruments from assessments/*.yaml, and the answers members give to them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.aggregation import Answer, InstrumentResult, aggregate
from workbench.analysis.instruments import Instrument, InstrumentError, validate_all
from workbench.models import AssessmentResponse
from workbench.models.catalogue.assessment import RESPONSES
from workbench.services.errors import NotFoundError, ServiceError, StaleEditError

READINESS_KEY = "service_recovery_readiness"
MAX_FILE_BYTES = 512 * 1024
NOTE_MAX = RESPONSES.field("note").max_length or 0


@dataclass(frozen=True)
class Catalogue:
    """The valid instruments, ordered by title, and the problems of the invalid files."""

    instruments: tuple[Instrument, ...]
    errors: tuple[InstrumentError, ...]

    def get(self, key: str) -> Instrument:
        """Return the instrument with this key or raise NotFoundError."""
        for instrument in self.instruments:
            if instrument.key == key:
                return instrument
        raise NotFoundError("There is no such assessment instrument.")


_cache: dict[Path, tuple[tuple[tuple[str, float, int], ...], Catalogue]] = {}


def _read(path: Path, label: str) -> object:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InstrumentError(label, "file", f"is larger than {MAX_FILE_BYTES // 1024} KB")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        place = "file"
        mark = getattr(error, "problem_mark", None)
        if mark is not None:
            place = f"line {mark.line + 1}, column {mark.column + 1}"
        raise InstrumentError(label, place, "is not valid YAML") from error


def load_catalogue(folder: Path) -> Catalogue:
    """Load and validate every instrument file; reuse the result while no file changed."""
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    stamp = tuple((p.name, p.stat().st_mtime, p.stat().st_size) for p in files)
    cached = _cache.get(folder)
    if cached and cached[0] == stamp:
        return cached[1]
    documents: dict[str, object] = {}
    read_errors: list[InstrumentError] = []
    for path in files:
        label = f"{folder.name}/{path.name}"
        try:
            documents[label] = _read(path, label)
        except InstrumentError as error:
            read_errors.append(error)
    instruments, errors = validate_all(documents)
    catalogue = Catalogue(
        tuple(sorted(instruments, key=lambda i: i.title.lower())), tuple(read_errors + errors)
    )
    _cache[folder] = (stamp, catalogue)
    return catalogue


def answers_for(session: Session, instrument: Instrument) -> list[Answer]:
    """Return every answer to an instrument in the workspace, by members and named respondents."""
    rows = session.scalars(
        select(AssessmentResponse)
        .where(AssessmentResponse.instrument_key == instrument.key)
        .order_by(AssessmentResponse.updated_at, AssessmentResponse.id)
    )
    return [Answer(r.respondent, r.question_key, r.value) for r in rows]


def results(session: Session, instrument: Instrument) -> InstrumentResult:
    """Aggregate every respondent's answers to an instrument."""
    return aggregate(instrument, answers_for(session, instrument))


def my_responses(
    session: Session, instrument: Instrument, respondent_id: int
) -> dict[str, AssessmentResponse]:
    """Return one respondent's stored answers, keyed by question."""
    rows = session.scalars(
        select(AssessmentResponse).where(
            AssessmentResponse.instrument_key == instrument.key,
            AssessmentResponse.respondent_id == respondent_id,
        )
    )
    return {row.question_key: row for row in rows}


@dataclass(frozen=True)
class SubmittedAnswer:
    """One question's answer as posted: value (None to leave blank), note, loaded version."""

    value: int | None
    note: str
    loaded_version: int | None


def save_answers(
    session: Session,
    instrument: Instrument,
    respondent_id: int,
    submitted: dict[str, SubmittedAnswer],
) -> int:
    """Store a respondent's answers; refuse the whole save if any answer changed meanwhile.

    An answer loaded as blank has version 0. Returns how many answers changed.
    """
    scale = instrument.scale
    known = {question.key for question in instrument.questions()}
    stored = my_responses(session, instrument, respondent_id)
    stale_stored, stale_mine = {}, {}
    for key, answer in submitted.items():
        if key not in known:
            raise ServiceError("The form contains a question this instrument does not have.")
        if answer.value is not None and not scale.min <= answer.value <= scale.max:
            raise ServiceError(
                f"Answers run from {scale.min} to {scale.max}; question “{key}” had "
                f"{answer.value}.",
            )
        if len(answer.note) > NOTE_MAX:
            raise ServiceError(f"Keep each note under {NOTE_MAX:,} characters.")
        row = stored.get(key)
        if (row.version if row else 0) != answer.loaded_version:
            stale_stored[key] = f"{row.value} {row.note}".strip() if row else ""
            stale_mine[key] = f"{answer.value or ''} {answer.note}".strip()
    if stale_stored:
        raise StaleEditError("Your answers", stale_stored, stale_mine, 0)
    changed = 0
    for key, answer in submitted.items():
        row = stored.get(key)
        if answer.value is None:
            if row is not None:
                session.delete(row)
                changed += 1
            continue
        if row is None:
            session.add(
                AssessmentResponse(
                    instrument_key=instrument.key,
                    instrument_version=instrument.version,
                    question_key=key,
                    respondent_id=respondent_id,
                    value=answer.value,
                    note=answer.note,
                )
            )
            changed += 1
        elif (row.value, row.note) != (answer.value, answer.note):
            row.value, row.note = answer.value, answer.note
            row.instrument_version = instrument.version
            changed += 1
    session.flush()
    return changed
