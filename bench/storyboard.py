"""Storyboard rendering speed: WeasyPrint against headless Chromium on the same HTML.

Builds the demo workspace in a temporary SQLite file, renders its storyboard HTML once,
then times (median of 3) our PDF rendering and `chromium --headless --print-to-pdf` of the
same HTML file, and prints both with their ratio. WeasyPrint stays (it tags the PDF and no
browser runs in the render path); its single-threaded layout costs about twice Chromium's,
so the ratio is a guard: at most 2.5 on the demo as the storyboard grows.

It also prints:
- publish to ready: a facilitator's publish request through the app, the job run by the
  app's worker thread (as without Redis), until the PDF is stored as the next version;
- the SQL statements building the report context issues for the demo and for the demo's
  content twenty times over in the same workspace (the same number: constant in rows);
- the time per page and the peak memory of rendering at 1x and at 20x the demo's content
  (the same sections repeated), each in a fresh process.

    python bench/storyboard.py [--runs N] [--skip-scale]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import storyboard_jobs

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _demo_html(folder: Path) -> tuple[str, dict, int]:
    from flask_migrate import upgrade

    from workbench.app import create_app
    from workbench.config import reports_dir
    from workbench.extensions import db
    from workbench.services import seeding
    from workbench.services.report_context import build_context
    from workbench.services.storyboard import meta_for
    from workbench.services.tenancy import allow_system_access, scope_session
    from workbench.storyboard.render import render_html

    app = create_app(
        {"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "SECRET_KEY": "bench"}
    )
    with app.app_context():
        upgrade()
        allow_system_access(db.session)
        seeds = Path(app.config["RESOURCE_ROOT"]) / "seeds"
        seeding.load_catalogues(db.session, seeds)
        _user, workspace, _ = seeding.create_demo(db.session, seeds)
        db.session.commit()
        scope_session(db.session, workspace.id)
        report = build_context(db.session, workspace, date.today())
        meta = meta_for(workspace, "Bench", report.fingerprint(), "bench")
        context = report.as_dict()
        html = render_html(context, meta, reports_dir(app.config), for_print=True)
        return html, {"context": context, "meta": meta}, workspace.id


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _weasy(html: str, runs: int) -> tuple[float, int]:
    from workbench.storyboard.render import render_pdf

    times, pages = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        _pdf, pages = render_pdf(html)
        times.append(time.perf_counter() - started)
    return _median(times), pages


def _chromium(html_file: Path, runs: int, folder: Path) -> float | None:
    if not Path(CHROMIUM).exists():
        return None
    times = []
    for n in range(runs):
        out = folder / f"chromium-{n}.pdf"
        started = time.perf_counter()
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={folder / 'chrome-profile'}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                html_file.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        times.append(time.perf_counter() - started)
    return _median(times)


def _scaled(payload_file: Path, factor: int) -> None:
    """Child process: render the context repeated `factor` times; print seconds, pages, MB."""
    from workbench.config import default_settings, reports_dir
    from workbench.storyboard.render import render_html, render_pdf

    payload = json.loads(payload_file.read_text(encoding="utf-8"))
    context, meta = payload["context"], payload["meta"]
    for key in ("initiatives",):
        context["alignment"][key] = context["alignment"][key] * factor
    context["assessment"]["factors"] = context["assessment"]["factors"] * factor
    context["operating"]["scenarios"] = context["operating"]["scenarios"] * factor
    context["metrics"]["departments"] = context["metrics"]["departments"] * factor
    html = render_html(context, meta, reports_dir(default_settings()), for_print=True)
    started = time.perf_counter()
    _pdf, pages = render_pdf(html)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "pages": pages, "peak_mb": peak_mb}))


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--child-scale", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_scale:
        _scaled(Path(args.child_scale[0]), int(args.child_scale[1]))
        return
    folder = Path(tempfile.mkdtemp(prefix="wb-storyboard-"))
    html, payload, workspace_id = _demo_html(folder)
    html_file = folder / "storyboard.html"
    html_file.write_text(html, encoding="utf-8")
    ours, pages = _weasy(html, args.runs)
    theirs = _chromium(html_file, args.runs, folder)
    print(
        f"demo storyboard: {pages} pages, {len(html) / 1024:.0f} KB of HTML, median of "
        f"{args.runs} runs"
    )
    print(f"  WeasyPrint (ours)          {ours:7.2f} s")
    if theirs is None:
        print("  Chromium                   not installed; no ratio")
    else:
        print(f"  Chromium --print-to-pdf    {theirs:7.2f} s")
        print(f"  ratio ours / Chromium      {ours / theirs:7.2f} (guard <= 2.50)")
    ready = storyboard_jobs.publish_to_ready(folder, workspace_id)
    print(f"  publish to ready           {ready:7.2f} s (request to PDF stored, job thread)")
    (small, few), (large, many) = storyboard_jobs.context_queries(folder, workspace_id, 20)
    print(
        f"  report context queries     1x {small}, 20x {large} "
        f"({'constant' if small == large else 'NOT constant'} in row count; "
        f"{few} and {many} initiatives)"
    )
    if args.skip_scale:
        return
    payload_file = folder / "payload.json"
    payload_file.write_text(json.dumps(payload), encoding="utf-8")
    results = {}
    for factor in (1, 20):
        run = subprocess.run(
            [sys.executable, __file__, "--child-scale", str(payload_file), str(factor)],
            check=True,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        results[factor] = json.loads(run.stdout.strip().splitlines()[-1])
        r = results[factor]
        print(
            f"  {factor:>2}x content: {r['pages']:4d} pages, {r['seconds']:7.2f} s, "
            f"{1000 * r['seconds'] / r['pages']:6.1f} ms/page, peak {r['peak_mb']:.0f} MB"
        )
    per_page = [results[f]["seconds"] / results[f]["pages"] for f in (1, 20)]
    print(f"  time per page 20x / 1x     {per_page[1] / per_page[0]:7.2f}")


if __name__ == "__main__":
    main()
