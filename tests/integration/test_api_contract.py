"""The API keeps its OpenAPI contract: Schemathesis runs every phase and every check on it.

This is the run `st run --checks all` makes (examples, coverage, fuzzing and the stateful
phase that follows the document's links), driven through Schemathesis's engine so one test
sees every failure at once. It talks to the app served on a local port: Schemathesis 4.32's
in-process WSGI transport passes a `requests`-only argument (`max_redirects`) to Werkzeug's
test client when the `ignored_auth` check sends its unauthenticated probe, so a real server
is the transport on which every check runs.

Generation is seeded and deterministic, so every run sends the same requests.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from flask import Flask
from schemathesis.engine import Status, events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.integration.api_support import API, build_api_world
from workbench.web.api import ENDPOINTS

# Writes whose rules span several fields or rows, or depend on today's date, which JSON Schema
# cannot state; README: "Writes run through the same rules as the web forms". A schema-valid
# body that breaks one is answered 422, so for these operations (only) 422 counts as
# accepting valid data.
CROSS_FIELD_RULES = {
    "create_objectives": "the parent exists and does not sit beneath the objective",
    "update_objectives": "the parent exists and does not sit beneath the objective",
    "create_initiatives": "the end date is not before the start date",
    "update_initiatives": "the end date is not before the start date",
    "create_scenarios": "a compensation amount comes with its currency; linked initiatives exist",
    "update_scenarios": "a compensation amount comes with its currency; linked initiatives exist",
    "create_risks": "linked barriers exist and are barriers; linked initiatives exist",
    "update_risks": "linked barriers exist and are barriers; linked initiatives exist",
    "create_stories": "the linked scenario exists; a named quote comes with the name",
    "update_stories": "the linked scenario exists; a named quote comes with the name",
    "create_training": "linked scenarios exist",
    "update_training": "linked scenarios exist",
    "create_drills": "the scenario exists; a drill dated after today cannot be done",
    "update_drills": "the scenario exists; a drill dated after today cannot be done",
    "create_sites": "the name is not another site's; the parent exists and is not beneath it",
    "update_sites": "the name is not another site's; the parent exists and is not beneath it",
    "create_metrics": "the lowest possible value is below the highest",
    "update_metrics": "the lowest possible value is below the highest; a weighted mean names a "
    "volume metric",
    "set_goal": "the baseline and the target lie within the metric's range",
    "create_measurement": "the value lies within the metric's range; one reading per date and "
    "site; the site exists",
    "create_milestone": "the done date is not after today",
    "update_milestone": "the done date is not after today",
}
# Schemathesis's default for positive_data_acceptance, plus 422 for the rules above.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx", "422"]


def _config(base_url: str, token: str) -> schemathesis.Config:
    """The run's settings: seeded and deterministic, sized to stay under a minute on SQLite."""
    return schemathesis.Config.from_dict(
        {
            "base-url": base_url,
            "seed": 15,
            "generation": {"max-examples": 4, "deterministic": True, "database": "none"},
            "auth": {"openapi": {"bearer": {"bearer": token}}},
            "phases": {
                # Boundary values for every operation; the invalid ones for the writes below.
                "coverage": {"generation": {"mode": "positive"}},
                "stateful": {
                    "max-steps": 10,
                    # The links the document declares, and nothing guessed, drive the chains.
                    "inference": {"algorithms": []},
                    "generation": {"max-examples": 25},
                },
            },
            "operations": [
                {
                    # Every invalid value for each part of a write: wrong types, ids out of
                    # range (a 405 instead of 404 showed here), unknown fields. The reads'
                    # invalid values (ids, page numbers) come from the fuzzing phase, whose
                    # mode is positive and negative for every operation.
                    "include-method": ["POST", "PUT", "PATCH", "DELETE"],
                    "phases": {"coverage": {"generation": {"mode": "all"}}},
                },
                {
                    "include-operation-id": sorted(CROSS_FIELD_RULES),
                    "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
                },
            ],
        }
    )


class _QuietHandler(WSGIRequestHandler):
    """Serves requests without logging a line for each of thousands of them."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing."""


@contextmanager
def _served(app: Flask) -> Iterator[str]:
    """Serve the app on a free local port for the duration; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@dataclass
class _Run:
    """What the engine reported, reduced to what the test asserts."""

    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)  # per phase
    answered: Counter[str] = field(default_factory=Counter)  # per operation
    succeeded: Counter[str] = field(default_factory=Counter)  # 2xx answers per operation
    checks: Counter[str] = field(default_factory=Counter)  # runs per check
    links_declared: int = 0
    links_followed: int = 0
    statuses: dict[str, str] = field(default_factory=dict)  # per phase
    seconds: dict[str, float] = field(default_factory=dict)  # per phase

    def record(self, event: events.ScenarioFinished) -> None:
        """Count one finished scenario's requests and keep its failures."""
        recorder: ScenarioRecorder = event.recorder
        phase = event.phase.value
        self.requests[phase] += len(recorder.interactions)
        for case_id, interaction in recorder.interactions.items():
            node = recorder.cases[case_id]
            label = node.value.operation.label
            self.answered[label] += 1
            if interaction.response is not None and 200 <= interaction.response.status_code < 300:
                self.succeeded[label] += 1
            if node.transition is not None and node.is_transition_applied:
                self.links_followed += 1
        for case_id, checks in recorder.checks.items():
            for check in checks:
                self.checks[check.name] += 1
                if check.status == Status.FAILURE and check.failure_info is not None:
                    self.failures.append(_describe(recorder, case_id, check))


def _describe(recorder: ScenarioRecorder, case_id: str, check: Any) -> str:
    info = check.failure_info
    case = recorder.cases[case_id].value
    interaction = recorder.interactions.get(case_id)
    body = b""
    if interaction is not None and interaction.response is not None:
        body = interaction.response.content[:300]
    title = getattr(info.failure, "title", "")
    return (
        f"{case.operation.label} [{check.name}] {title}: {info.failure.message[:300]}\n"
        f"  {info.code_sample[:600]}\n  -> {body!r}"
    )


def _run(document: dict[str, Any], base_url: str, token: str) -> _Run:
    # Loaded from the dict, not the URL: Schemathesis leaves out the operation that served
    # the document it loaded, and the document is an operation of the API too.
    schema = schemathesis.openapi.from_dict(document, config=_config(f"{base_url}{API}", token))
    run = _Run()
    phase_started = time.perf_counter()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            run.record(event)
        elif isinstance(event, events.PhaseStarted):
            phase_started = time.perf_counter()
            if isinstance(event.payload, events.StatefulPhasePayload):
                run.links_declared = event.payload.transitions_total
        elif isinstance(event, events.PhaseFinished):
            name = event.phase.name.value
            run.seconds[name] = round(time.perf_counter() - phase_started, 1)
            run.statuses[name] = event.status.value
        elif isinstance(event, events.NonFatalError):
            run.errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            run.errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            run.failures += [f"after the run: {failure.title}" for failure in event.failures]
    return run


def test_the_api_keeps_its_openapi_contract(app: Flask, team: dict[str, Any]) -> None:
    """Every operation, every check, and chains of calls along the links: no failure."""
    world = build_api_world(app, team)
    document = app.test_client().get(f"{API}/openapi.json").get_json()
    started = time.perf_counter()
    with _served(app) as base_url:
        run = _run(document, base_url, world.tokens["facilitator"])
    elapsed = time.perf_counter() - started
    print(
        f"schemathesis: {sum(run.requests.values())} requests {dict(run.requests)} in "
        f"{elapsed:.1f} s; {run.links_declared} links, {run.links_followed} followed; "
        f"{len(run.failures)} failures; seconds per phase {run.seconds}"
    )
    assert not run.errors, "\n".join(run.errors)
    assert not run.failures, f"{len(run.failures)} contract failures:\n" + "\n".join(run.failures)
    documented = {f"{e.method} {e.path}" for e in ENDPOINTS}
    print("checks run:", dict(run.checks))
    print("never answered 2xx:", sorted(documented - set(run.succeeded)))
    assert documented - set(run.answered) == set(), "operations the run never reached"
    assert run.statuses.get("stateful") == "success"
    assert run.links_declared > 0 and run.links_followed > 0
