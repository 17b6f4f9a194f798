"""Storyboard pages: how many, and how many are under a quarter full, for two workspaces.

Builds the demo workspace and a small workspace entered from scratch (a library service
with two factors, one objective, one initiative, one scenario and one metric) in a
temporary SQLite file, renders both storyboards as of the given day, prints each one's
page count, every page's fill (how far down its lowest line of text reaches) and the pages
under a quarter full, and writes the PDFs into --out so they can be looked at.

    python bench/storyboard_pages.py [--out DIR] [--today 2026-12-04]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUARTER = 0.25


def _render(out: Path, today: date) -> dict[str, bytes]:
    from flask_migrate import upgrade

    from tests.storyboard_samples import fill_small_workspace
    from workbench.app import create_app
    from workbench.config import reports_dir
    from workbench.extensions import db
    from workbench.models import Workspace
    from workbench.services import accounts, seeding, workspaces
    from workbench.services.storyboard import render_document
    from workbench.services.tenancy import allow_system_access, scope_session
    from workbench.storyboard.render import render_pdf

    app = create_app({"DATABASE_URL": f"sqlite:///{out / 'pages.sqlite3'}", "SECRET_KEY": "bench"})
    pdfs = {}
    with app.app_context():
        upgrade()
        allow_system_access(db.session)
        seeds = Path(app.config["RESOURCE_ROOT"]) / "seeds"
        seeding.load_catalogues(db.session, seeds)
        _user, demo, _ = seeding.create_demo(db.session, seeds)
        owner = accounts.register(db.session, "fresh@example.org", "Fiona Fresh", "x" * 12)
        small = workspaces.create_workspace(db.session, owner, "Northgate Libraries", "libraries")
        db.session.commit()
        scope_session(db.session, small.id)
        fill_small_workspace(db.session)
        db.session.commit()
        for name, workspace_id in (("demo", demo.id), ("small", small.id)):
            scope_session(db.session, workspace_id)
            workspace = db.session.get_one(Workspace, workspace_id)
            html, _fp = render_document(
                db.session, workspace, "Bench", today, reports_dir(app.config), "bench"
            )
            pdfs[name] = render_pdf(html)[0]
    return pdfs


def main() -> None:
    """Render both storyboards and print their page counts and page fills."""
    from tests.pdf_layout import page_fill

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 4))
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="storyboard-pages-"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "pages.sqlite3").unlink(missing_ok=True)
    for name, pdf in _render(out, args.today).items():
        (out / f"{name}.pdf").write_bytes(pdf)
        fills = page_fill(pdf)
        near_empty = [n for n, fill in enumerate(fills, 1) if fill < QUARTER]
        print(f"{name}: {len(fills)} pages, {len(near_empty)} under a quarter full {near_empty}")
        print("  fill by page: " + " ".join(f"{fill:.2f}" for fill in fills))
    print(f"PDFs in {out}")


if __name__ == "__main__":
    main()
