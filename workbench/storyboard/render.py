"""Render the storyboard context to HTML and to a tagged PDF with WeasyPrint.

The context arrives as plain data (the report-context service's `as_dict()`); the layout
comes from the `reports/` folder of the configured resource root, passed in by the caller.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from datetime import date
from functools import lru_cache, partial
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from workbench.analysis.rich_text import sanitise
from workbench.charts import plots
from workbench.charts.approach import approach_chart
from workbench.charts.finance import cash_flow_chart, tornado_chart
from workbench.charts.risk_map import risk_map_svg
from workbench.charts.roadmap import RoadmapBar, roadmap_chart
from workbench.charts.svg import Svg, overlay_html
from workbench.charts.trend import Trend, trend_chart, unit_label
from workbench.models.vocabulary import DEFAULT_CURRENCY
from workbench.storyboard import formats
from workbench.storyboard.graph_figures import graph_figures


class RefusingFetcherError(ValueError):
    """A resource outside the report was requested; the report never loads one."""


def _fetcher() -> Any:
    """A URL fetcher that serves data: URLs only and follows nothing else."""
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        """Allows data: URLs (our embedded charts); refuses files, networks and redirects."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise RefusingFetcherError(f"refused: {url[:60]}")
            return super().fetch(url, headers)

    return DataOnlyFetcher()


@lru_cache(maxsize=256)
def _chart(kind: str, payload: str) -> Svg:
    """Draw a chart from its JSON payload; equal data reuses the drawing."""
    data = json.loads(payload)
    if kind == "radar":
        return plots.radar_chart([d[0] for d in data], [d[1] for d in data])
    if kind == "balance":
        sums = {
            "driver": [r[1] for r in data],
            "enabler": [r[2] for r in data],
            "barrier": [r[3] for r in data],
        }
        return plots.balance_chart([r[0] for r in data], sums)
    if kind == "roadmap":
        bars = [
            RoadmapBar(key, title, date.fromisoformat(start), date.fromisoformat(end), status)
            for key, (title, start, end, status) in enumerate(data["bars"])
        ]
        links = [(a, b) for a, b in data["links"]]
        return roadmap_chart(bars, links, data["chain"], date.fromisoformat(data["today"]))
    if kind == "trend":
        return trend_chart(_trend(data))
    if kind == "cash_flow":
        years = data["years"]
        return cash_flow_chart(
            [row[0] for row in years],
            [row[6] for row in years],
            [row[7] for row in years],
            data["currency"],
        )
    if kind == "approach":
        # Each line is (label, cells, budget, count); a cell's first value is its budget.
        rows = [
            (str(label), float(prevent[0]), float(recover[0]), float(unset[0]))
            for label, (prevent, recover, unset), _budget, _count in data["lines"]
        ]
        return approach_chart(rows, data["currency"])
    if kind == "tornado":
        swings = data["swings"]
        return tornado_chart(
            [s[0] for s in swings],
            data["npv"],
            [s[1] for s in swings],
            [s[2] for s in swings],
            data["currency"],
        )
    raise ValueError(kind)


def _day_value(day: str | None, value: float | None) -> tuple[date, float] | None:
    """A dated value from the payload, or None when either half is missing."""
    return (date.fromisoformat(day), value) if day and value is not None else None


def _trend(data: Mapping[str, Any]) -> Trend:
    """A trend from its payload; snapshots published before forecasts simply have none."""
    return Trend(
        points=[(date.fromisoformat(d), v) for d, v in data["points"]],
        baseline=_day_value(data["baseline_date"], data["baseline"]),
        target=_day_value(data["target_date"], data["target"]),
        forecast=[(date.fromisoformat(d), v) for d, v in data.get("forecast") or ()],
        unit=unit_label(data["unit"], data.get("currency") or DEFAULT_CURRENCY),
        today=date.fromisoformat(data["as_of"]),
        lowest=data.get("min"),
        highest=data.get("max"),
    )


# Charts whose labels are long: in print their labels are set as text over the shapes.
OVERLAID = {"roadmap", "approach"}


def chart(
    kind: str,
    data: Any,
    alt: str,
    width_mm: float = 174,
    height_mm: float = 150,
    for_print: bool = False,
) -> Markup:
    """A chart for the template, drawn once per distinct data.

    Normally one SVG image; for print, charts with long labels become the SVG's shapes with
    the labels laid over them as text, at most `width_mm` by `height_mm`.
    """
    payload = json.dumps(data, sort_keys=True)
    if kind == "graph":
        return Markup(graph_figures(payload, alt, width_mm, for_print))
    if kind == "risk_map":
        return Markup(f'<img src="{_risk_map_uri(payload, alt)}" alt="{escape(alt)}">')
    if for_print and kind in OVERLAID:
        return Markup(_overlaid(kind, payload, alt, width_mm, height_mm))
    return Markup(f'<img src="{_chart_uri(kind, payload)}" alt="{escape(alt)}">')


def chart_svg(kind: str, data: Any, alt: str) -> str:
    """One chart of the storyboard as SVG markup (for formats that place it as a picture)."""
    payload = json.dumps(data, sort_keys=True)
    if kind == "risk_map":
        return _risk_map_svg(payload, alt)
    return _chart(kind, payload).render()


def _risk_map_svg(payload: str, alt: str) -> str:
    return risk_map_svg(
        json.loads(payload),
        alt,
        ["rare", "unlikely", "possible", "likely", "almost certain"],
        ["negligible", "minor", "moderate", "major", "severe"],
    )


@lru_cache(maxsize=16)
def _risk_map_uri(payload: str, alt: str) -> str:
    """The risk heat map (its own SVG text, not an Svg drawing) as a data: URI."""
    return plots.data_uri(_risk_map_svg(payload, alt))


@lru_cache(maxsize=256)
def _chart_uri(kind: str, payload: str) -> str:
    return plots.data_uri(_chart(kind, payload).render())


@lru_cache(maxsize=64)
def _overlaid(kind: str, payload: str, alt: str, width_mm: float, height_mm: float) -> str:
    drawing = _chart(kind, payload)
    shapes = plots.data_uri(drawing.render(with_labels=False))
    return overlay_html(drawing, shapes, alt, width_mm, height_mm)


@lru_cache(maxsize=4)
def _environment(templates: Path, for_print: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["chart"] = partial(chart, for_print=for_print)
    env.filters.update(
        number=formats.number,
        money=formats.money,
        measure=formats.measure,
        plural=formats.plural,
        long_date=formats.long_date,
        short_date=formats.short_date,
        month=formats.month,
        # Commentary is sanitised when the context is built; once more here, as it is printed.
        rich=lambda html: Markup(sanitise(str(html or ""))),
    )
    return env


def render_html(
    context: Mapping[str, Any],
    meta: Mapping[str, str],
    templates: Path,
    inline_css: bool = True,
    for_print: bool = False,
    appendix: Mapping[str, Any] | None = None,
    back_url: str | None = None,
) -> str:
    """Render the storyboard from the layout in `templates` as one self-contained HTML document.

    `back_url`, for the web preview only, adds a link back to the app above the document.
    `appendix` holds what the appendix adds beside the data (method notes, the changes since
    the last published version); it stays out of `context` so the fingerprint ignores it.
    """
    css = (templates / "print.css").read_text(encoding="utf-8") if inline_css else ""
    template = _environment(templates, for_print).get_template("storyboard.html")
    return template.render(
        c=context, meta=meta, css=css, appendix=appendix or {}, back_url=back_url
    )


def render_pdf(html: str) -> tuple[bytes, int]:
    """Render HTML to a tagged PDF/UA document; return the bytes and the page count."""
    from weasyprint import HTML

    document = HTML(string=html, base_url="data:,", url_fetcher=_fetcher()).render()
    buffer = io.BytesIO()
    document.write_pdf(buffer, pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)
    return buffer.getvalue(), len(document.pages)
