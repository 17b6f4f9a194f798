"""The PowerPoint deck of the demo's storyboard: render time, size, slides and overflows.

Builds the demo workspace in a temporary SQLite file (as bench/storyboard.py does), then
times (median of N) `render_pptx` on its report context and prints the slide count, the
file size, how many slides are continuations and how many boxes the text estimator finds
overflowing (it should be none).

    python bench/storyboard_deck.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.storyboard import _demo_html


def main() -> None:
    """Print the deck's figures for the demo workspace."""
    from pptx import Presentation

    from workbench.storyboard.deck import render_pptx
    from workbench.storyboard.deck_fit import overflows

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        _html, data, _workspace_id = _demo_html(Path(folder))
    samples = []
    deck, slides = b"", 0
    for _ in range(runs):
        started = time.perf_counter()
        deck, slides = render_pptx(data["context"], data["meta"])
        samples.append(time.perf_counter() - started)
    opened = Presentation(io.BytesIO(deck))
    titles = [
        next((s.text_frame.text for s in slide.shapes if s.name == "Title"), "")
        for slide in opened.slides
    ]
    continued = sum(1 for title in titles if title.endswith("(continued)"))
    print(f"deck render (median of {runs}): {statistics.median(samples):.2f} s")
    print(f"slides: {slides}, of which continuations: {continued}")
    print(f"size: {len(deck) / 1024:.0f} KiB")
    print(f"overflowing boxes by the estimator: {len(list(overflows(opened)))}")


if __name__ == "__main__":
    main()
