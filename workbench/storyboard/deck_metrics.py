"""The deck's metrics chapter: departments, each metric's goal and trend, sites, plans, the case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION

from workbench.charts.trend import unit_label
from workbench.storyboard import formats
from workbench.storyboard.deck_pictures import chart_png
from workbench.storyboard.deck_slides import Block, Deck

Context = Mapping[str, Any]
STATUS_KEYS = ("on_track", "at_risk", "off_track", "stale")


def _site_row(s: Context) -> list[str]:
    """A metric's best and worst site with recent data, or why none is named; stale sites."""
    stale = "; ".join(
        f"{site['site']}: {site['last_value']} on {formats.long_date(site['last_reading'])}, "
        f"no recent data since {formats.long_date(site['stale_since'])}"
        for site in s["stale"]
    )
    if s["best"] is None:
        return [s["metric"], str(s["sites"]), s["note"], "", stale or "—"]
    return [
        s["metric"],
        str(s["sites"]),
        f"{s['best']}: {s['best_value']}",
        f"{s['worst']}: {s['worst_value']}" if s["worst"] else "all level",
        stale or "—",
    ]


def metrics(deck: Deck, c: Context) -> None:
    """Each department's metrics with their goals, a native trend chart per measured metric."""
    m = c["metrics"]
    e = m["economics"]
    notes = e["case"]["statement"]
    if m["departments"]:
        rows = []
        for d in m["departments"]:
            counts = d["counts"]
            rest = counts.get("no_data", 0) + counts.get("no_goal", 0)
            rows.append(
                [
                    d["name"],
                    str(len(d["metrics"])),
                    *[str(counts.get(k, 0) or "") for k in STATUS_KEYS],
                    str(rest or ""),
                ]
            )
        totals = [sum(int(r[i] or 0) for r in rows) for i in range(1, 7)]
        rows.append(["All departments", *[str(t) for t in totals]])
        headers = [
            "Department",
            "Metrics",
            "On track",
            "At risk",
            "Off track",
            "No recent data",
            "No goal or readings",
        ]
        deck.table_slides(
            "Metrics and goals",
            headers,
            rows,
            [28, 12, 12, 12, 12, 12, 12],
            notes,
            (1, 2, 3, 4, 5, 6),
        )
    else:
        deck.text_slides("Metrics and goals", [Block("No metrics yet.")], notes)
    for d in m["departments"]:
        rows = []
        for metric, (owner, objectives, baseline, latest, target) in zip(
            d["metrics"], d["lines"], strict=True
        ):
            name = metric["name"] + (f" (measures: {'; '.join(objectives)})" if objectives else "")
            status = metric["status_label"]
            if metric["progress"] is not None:
                status += f", {metric['progress']}% of the way"
            rows.append(
                [
                    name,
                    owner or "—",
                    baseline,
                    latest,
                    target,
                    formats.short_date(metric["target_date"]),
                    status,
                ]
            )
        headers = [
            "Metric and what it measures",
            "Owner",
            "Baseline",
            "Latest",
            "Target",
            "Target date",
            "Status",
        ]
        deck.table_slides(
            f"Metrics of {d['name']}",
            headers,
            rows,
            [30, 14, 11, 11, 11, 11, 12],
            notes,
            (2, 3, 4),
            size=11,
        )
        for metric in d["metrics"]:
            if metric["points"]:
                trend(deck, metric, e["currency"], d["name"])
    if m["sites"]:
        deck.table_slides(
            "Best and worst sites",
            [
                "Metric",
                "Sites ranked",
                "Best site (latest)",
                "Worst site (latest)",
                "No recent data, not ranked",
            ],
            [_site_row(s) for s in m["sites"]],
            [24, 9, 21, 21, 25],
            notes,
            (1,),
            size=11,
        )
    if m["plans"]:
        rows = [
            [dep, aud or "—", ch or "—", cad, own or "—", "; ".join(carried) if carried else "—"]
            for dep, aud, ch, cad, own, carried in m["plans"]
        ]
        headers = ["Department", "Audience", "Channel", "Cadence", "Owner", "Metrics shared"]
        deck.table_slides(
            "How each department hears about its metrics",
            headers,
            rows,
            [14, 18, 16, 12, 14, 26],
            notes,
            size=11,
        )
    business_case(deck, e, c["operating"])


def trend(deck: Deck, metric: Context, currency: str, department: str) -> None:
    """A metric's readings as a native line chart, with its target as a second, flat line."""
    days = [formats.short_date(day) for day, _ in metric["points"]]
    series: list[tuple[str, list[float | None]]] = [
        ("Readings", [value for _, value in metric["points"]])
    ]
    if metric["target"] is not None:
        series.append(
            (
                f"Target by {formats.short_date(metric['target_date'])}",
                [metric["target"]] * len(days),
            )
        )
    unit = unit_label(metric["unit"], currency)
    caption = f"{metric['name']} ({unit})" if unit else metric["name"]
    deck.chart_slide(
        f"Trend: {metric['name']}",
        XL_CHART_TYPE.LINE_MARKERS,
        days,
        series,
        f"Trend of {metric['name']} for {department}: {len(days)} readings, the latest {days[-1]}",
        f"{metric['name']}: {metric['status_label']}.",
        number_format="#,##0.##",
        caption=caption,
        unit=unit,
    )


def business_case(deck: Deck, e: Context, op: Context) -> None:
    """The business case: its statement, yearly table and cash flow, scenarios and tracking."""
    bc = e["case"]
    title = f"The business case over {bc['horizon_years']} years" + (
        "" if e["saved"] else " (illustrative)"
    )
    deck.text_slides(title, [Block(bc["statement"])], bc["statement"])
    if e["saved"]:
        rows = [
            [
                str(year),
                f"{rate:.1f}%",
                *[formats.number(v) for v in (value, inv, run, comp, net, cum)],
            ]
            for year, rate, value, inv, run, comp, net, cum in bc["years"]
        ]
        rows.append(
            [
                f"{bc['horizon_years']} years",
                "",
                *[formats.number(sum(y[i] for y in bc["years"])) for i in (2, 3, 4, 5, 6)],
                "",
            ]
        )
        amounts = ("Lifetime value kept", "Investment", "Running cost", "Compensation", "Net")
        headers = [
            "Year",
            "Recovery rate",
            *[f"{name} ({e['currency']})" for name in (*amounts, "Cumulative")],
        ]
        rate = f"{bc['discount_rate']:g}"
        npv = formats.money(bc["npv"], e["currency"])
        npv = f"Net present value at {rate}% a year: {npv}."
        deck.table_slides(
            f"The business case by year ({e['currency']})",
            headers,
            rows,
            [10, 12, 13, 13, 13, 13, 13, 13],
            npv,
            tuple(range(1, 8)),
            size=11,
        )
        chart = deck.chart_slide(
            "Net cash flow a year and cumulative",
            XL_CHART_TYPE.COLUMN_CLUSTERED,
            [str(row[0]) for row in bc["years"]],
            [
                ("Net", [row[6] for row in bc["years"]]),
                ("Cumulative", [row[7] for row in bc["years"]]),
            ],
            f"Net cash flow each year and cumulative, {e['currency']}",
            npv,
            caption=f"Net cash flow each year and cumulative, {e['currency']}. {npv}",
            unit=e["currency"],
        )
        # Losses make the bars hang down: the years read below the plot, not across it.
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        lows = ", ".join(formats.money(v, e["currency"]) for v in bc["scenario_npvs"])
        scenarios = (
            "Net present value with every uncertain input at its worse, base and better "
            f"value: {lows}."
        )
        if bc["swings"]:
            scenarios += f" Of these inputs, {bc['swings'][0][0].lower()} moves it most."
            data = {"swings": bc["swings"], "npv": bc["npv"], "currency": e["currency"]}
            alt = "How far each uncertain input moves the net present value"
            deck.picture_slide(
                "Scenarios and sensitivity",
                chart_png("tornado", data, alt),
                alt,
                scenarios,
                scenarios,
            )
        else:
            deck.text_slides("Scenarios and sensitivity", [Block(scenarios)], scenarios)
    checks = [
        f"The inputs give a {subject} of {used}; the {metric} metric read {measured} on "
        f"{formats.long_date(on)}"
        + (", which does not bear them out." if differs else ", in line with them.")
        for subject, used, measured, metric, on, _owner, differs in bc["checks"]
    ]
    blocks = [Block(bc["tracking_statement"]), *[Block(text) for text in checks]]
    if bc["assumptions"]:
        blocks.append(Block("Assumed, not entered: " + " ".join(bc["assumptions"]), "small"))
    cost = e["cost_statement"]
    apps = op.get("applications")
    if apps and apps["rows"]:
        cost += (
            " Beside the case, not in it: the applications that serve recovery cost "
            f"{apps['currency']} {apps['total_cost']:,} a year."
        )
    blocks.append(Block(f"{cost} Today's recovery rate: {e['current_rate_source']}", "small"))
    deck.text_slides("Is it coming true?", blocks, bc["tracking_statement"])
