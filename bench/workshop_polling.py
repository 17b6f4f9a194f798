"""Time the fragments a workshop room polls, to size a room.

Every screen in a room asks for three fragments every two seconds (the step, the board and
the running vote), so a room of P people needs 1.5 x P fragment requests per second. This
script builds a workspace on a temporary SQLite file with a session, F factors (default 200)
and a vote with dots from 30 people, then serves each fragment through the application
(test client, one process, no network) and prints the median and 95th percentile time of
each, and how many people one process can keep up to date at that pace. `/healthz` (one
query, no page) is timed as a reference for what the machine gives any request.

    python bench/workshop_polling.py [--factors 200] [--rounds 60]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from workbench.app import create_app
from workbench.extensions import db
from workbench.models import Factor, FactorCategory, Polarity, VoteKind, WorkshopDot
from workbench.services import accounts, voting, workshop, workspaces
from workbench.services.tenancy import scope_session

PEOPLE = 30


def build(app, factors: int) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """Create the workspace, session, factors and a vote with dots; return the ids."""
    with app.app_context():
        upgrade()
        owner = accounts.register(db.session, "bench@example.org", "Bench", "bench-password-1")
        workspace = workspaces.create_workspace(db.session, owner, "Bench Hotels")
        scope_session(db.session, workspace.id)
        categories = list(FactorCategory)
        polarities = list(Polarity)
        db.session.add_all(
            Factor(
                category=categories[n % 4],
                polarity=polarities[n % 3],
                importance=1 + n % 5,
                title=f"Factor number {n}",
                position=n,
            )
            for n in range(factors)
        )
        room = workshop.open_session(db.session, owner, "Bench session", 10, 12)
        vote = voting.open_vote(db.session, room, VoteKind.FACTORS, "Bench vote", 3)
        items = [item for item, _label in voting.vote_items(db.session, VoteKind.FACTORS)]
        db.session.add_all(
            WorkshopDot(
                vote_id=vote.id,
                user_id=owner.id,
                item_id=items[(p * 7 + s) % len(items)],
                slot=p * 3 + s,
            )
            for p in range(PEOPLE)
            for s in range(3)
        )
        db.session.commit()
        return workspace.id, room.id, vote.id


def main() -> None:
    """Build, warm up, time and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        workspace_id, session_id, vote_id = build(app, args.factors)
        client = app.test_client()
        client.post("/login", data={"email": "bench@example.org", "password": "bench-password-1"})
        base = f"/workspaces/{workspace_id}/workshop/{session_id}"
        fragments = {
            "reference: /healthz": "/healthz",
            "step (state)": f"{base}/state",
            "board": f"{base}/board",
            "vote panel": f"{base}/votes/{vote_id}",
        }
        print(f"{args.factors} factors, a vote with {PEOPLE * 3} dots, {args.rounds} rounds")
        medians = []
        for label, path in fragments.items():
            for _ in range(5):
                client.get(path, headers={"HX-Request": "1"})
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                response = client.get(path, headers={"HX-Request": "1"})
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            times.sort()
            median = statistics.median(times)
            if not label.startswith("reference"):
                medians.append(median)
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"  {label:<20} median {median:6.1f} ms   p95 {p95:6.1f} ms")
        per_person = sum(medians) / 2.0  # ms of work per person per second
        people = int(1000 / per_person)
        print(f"one process keeps about {people} people up to date (3 fragments every 2 s)")


if __name__ == "__main__":
    main()
