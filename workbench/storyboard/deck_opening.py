"""The deck's title slide and its first chapters: summary, perspective and assessment.

Each chapter reads the same context as `reports/storyboard.html` and writes its figures with
the same helpers (`formats`), so a figure on a slide reads exactly as it does in the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from pptx.enum.chart import XL_CHART_TYPE

from workbench.storyboard import formats
from workbench.storyboard.deck_fit import emu
from workbench.storyboard.deck_slides import (
    INK,
    LEFT,
    MUTED,
    TOP,
    WIDTH,
    Block,
    Deck,
    bullets,
    paragraphs,
)

Context = Mapping[str, Any]
GOAL_LABELS = [
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("off_track", "Off track"),
    ("no_data", "Not yet measured"),
    ("no_goal", "No goal set"),
]


def viability(a: Context) -> str:
    """The viability figure as the summary writes it: 51/100, or a dash."""
    return formats.number(a["index"]) + "/100" if a["index"] is not None else "—"


def alignment_score(al: Context) -> str:
    """The alignment score as the summary writes it."""
    return formats.number(al["score"]) + "/100" if al["score"] is not None else "—"


def goals_on_track(s: Context) -> str:
    """Goals on track out of all, as the summary's key figure."""
    return f"{s['goals'].get('on_track', 0)} of {sum(s['goals'].values())}"


def title_slide(deck: Deck, c: Context, meta: Mapping[str, str], logo_png: bytes | None) -> None:
    """The cover: the organisation, the verdict, the budget, the delivery date and the date."""
    w, a, ask = c["workspace"], c["assessment"], c["summary"]["ask"]
    slide = deck._blank(c["summary"]["recommendation"])
    subtitle = "A storyboard for the board" + (f" · {w['industry']}" if w["industry"] else "")
    deck.text_box(
        slide,
        LEFT,
        1.6,
        WIDTH - 3.0,
        2.6,
        [
            ("SERVICE RECOVERY STRATEGY", 14, False, MUTED),
            (w["name"][:200], 36 if len(w["name"]) <= 40 else 24, True, deck.accent),
            (subtitle[:200], 18, False, MUTED),
        ],
    ).name = "Cover title"
    count = ask["new_count"] + ask["committed_count"]
    if a["index"] is not None:
        index = f"viability {formats.number(a['index'])} out of 100"
        index += ", provisional" if a["provisional"] else ""
    else:
        index = "no index yet"
    undated = ask["undated_count"]
    facts = [
        ("Verdict", a["verdict"].capitalize(), index),
        ("Budget to deliver", formats.money(ask["total"], ask["currency"]), _count(count)),
        (
            "Delivery by",
            formats.month(ask["last_end"]),
            formats.plural(undated, "initiative", "initiatives") + " undated"
            if undated
            else "latest end date",
        ),
        ("As of", formats.long_date(c["as_of"]), ""),
    ]
    for index_, (label, value, note) in enumerate(facts):
        lines = [(label.upper(), 11, False, MUTED), (value, 18, True, INK)]
        if note:
            lines.append((note, 11, False, MUTED))
        deck.text_box(slide, LEFT + index_ * 3.1, 4.5, 2.95, 1.5, lines).name = "Cover fact"
    foot = f"Prepared by {meta.get('author', '')} · version {meta.get('version', '')}"
    foot += f" · fingerprint {meta.get('fingerprint', '')[:12]}"
    deck.text_box(slide, LEFT, 6.7, WIDTH, 0.45, [(foot[:200], 10, False, MUTED)])
    if logo_png:
        _logo(deck, slide, logo_png, w["name"])


def _logo(deck: Deck, slide: Any, png: bytes, name: str) -> None:
    """The organisation's logo in the cover's top right corner, within 2.6 by 1.3 inches."""
    picture = slide.shapes.add_picture(io.BytesIO(png), emu(10.2), emu(0.5), height=emu(1.3))
    if picture.width > emu(2.6):
        ratio = emu(2.6) / picture.width
        picture.width = emu(2.6)
        picture.height = int(picture.height * ratio)
    picture.left = emu(12.83) - picture.width
    picture.name = "Logo"
    picture._element.nvPicPr.cNvPr.set("descr", f"Logo of {name[:100]}")


def _count(n: int) -> str:
    return formats.plural(n, "initiative", "initiatives")


def ask_sentence(c: Context) -> str:
    """What the board is asked to approve, worded as the PDF's summary words it."""
    ask, al = c["summary"]["ask"], c["alignment"]
    cur = ask["currency"]
    money = formats.money
    if ask["new_count"]:
        text = f"Approve {money(ask['new_budget'], cur)} for "
        text += formats.plural(ask["new_count"], "proposed initiative", "proposed initiatives")
        if ask["committed_count"]:
            text += f", and confirm {money(ask['committed_budget'], cur)} already committed to "
            text += _committed(ask["committed_count"])
    elif ask["committed_count"]:
        text = f"Confirm {money(ask['committed_budget'], cur)} committed to "
        text += _committed(ask["committed_count"])
    else:
        text = "There is no initiative left to fund"
    if ask["total"]:
        spent = f"{money(ask['spent'], cur)} is spent" if ask["spent"] else "nothing is spent yet"
        text += f": {money(ask['total'], cur)} in all, of which {spent}"
    finish = max(al["programme_end"] or "", ask["last_end"] or "")
    if finish:
        start = f"from {formats.month(ask['first_start'])} " if ask["first_start"] else ""
        text += f", for delivery {start}to {formats.month(finish)}"
    return text + "."


def _committed(n: int) -> str:
    return formats.plural(n, "approved or running initiative", "approved or running initiatives")


def summary(deck: Deck, c: Context) -> None:
    """What we ask, the key figures with the funding by year, goals, delivery and risks."""
    s, a, al = c["summary"], c["assessment"], c["alignment"]
    ask, cur = s["ask"], s["ask"]["currency"]
    economics = c["metrics"]["economics"]
    why = s["coverage"] + " " + (economics["case"]["statement"] if economics["saved"] else "")
    notes = f"{s['recommendation']}\n\n{why.strip()}"
    blocks = [Block("What we ask", "heading"), Block(ask_sentence(c))]
    if ask["by_year"] or ask["undated_budget"]:
        parts = [f"{y} {formats.money(v, cur)}" for y, v in ask["by_year"]]
        if ask["undated_budget"]:
            parts.append(f"not yet dated {formats.money(ask['undated_budget'], cur)}")
        blocks.append(
            Block(
                "Funding by year, each initiative's budget spread over its dates: "
                + "; ".join(parts)
                + ".",
                "small",
            )
        )
    blocks += [Block("Recommendation", "heading"), Block(s["recommendation"])]
    blocks += [Block("Why", "heading"), Block(why.strip())]
    deck.text_slides("Summary for the board", blocks, notes)
    slide = deck.slide(
        "Key figures and funding by year" if ask["by_year"] else "Key figures", notes
    )
    figures = [
        (
            formats.money(ask["total"], cur),
            f"Budget of {_count(ask['new_count'] + ask['committed_count'])} still to deliver",
        ),
        (viability(a), f"Viability{' (provisional)' if a['provisional'] else ''}: {a['verdict']}"),
        (alignment_score(al), "Alignment of initiatives with objectives and principles"),
        (goals_on_track(s), "Goals on track on the latest measurements"),
    ]
    for i, (figure, label) in enumerate(figures):
        box = deck.text_box(
            slide,
            LEFT + i * 3.1,
            TOP,
            2.95,
            1.7,
            [(figure, 24, True, deck.accent), (label, 12, False, MUTED)],
        )
        box.name = "Key figure"
    if ask["by_year"]:
        deck.chart(
            slide,
            XL_CHART_TYPE.COLUMN_CLUSTERED,
            [str(year) for year, _ in ask["by_year"]],
            [(f"Budget ({cur})", [amount for _, amount in ask["by_year"]])],
            f"Funding by year in {cur}, each initiative's budget spread over its dates",
            caption=f"Funding by year, {cur}: each initiative's budget spread over its dates",
            top=TOP + 1.8,
            unit=cur,
        )
    goals = [[label, str(s["goals"][key])] for key, label in GOAL_LABELS if s["goals"].get(key)]
    d = s["delivery"]
    delivery = [
        ["Done", str(d["done"])],
        ["In progress", str(d["in_progress"])],
        ["Late", str(d["late"])],
        ["Not started when due", str(d["not_started"])],
        ["Needing re-planning, all reasons", str(d["flagged"])],
        ["Programme end, by the critical path", formats.short_date(al["programme_end"])],
    ]
    rows = [["Goals: " + g[0], g[1]] for g in goals] or [["No metrics yet.", ""]]
    rows += [["Delivery: " + r[0], r[1]] for r in delivery]
    deck.table_slides(
        "Goals and delivery at a glance", ["At a glance", "Count"], rows, [70, 30], notes, (1,)
    )
    rk = c["risks"]
    top = [
        [
            r["title"] + (" (review overdue)" if r["overdue"] else ""),
            f"{r['rating']}, {r['score']} of 25",
            r["owner"] or "No owner",
        ]
        for r in rk["top"]
    ]
    others = s["risks"][: 5 - len(rk["top"])]
    if top:
        deck.table_slides(
            "Top risks", ["From the risk register", "Rating", "Owner"], top, [50, 20, 30], notes
        )
    if others or not top:
        lead = "Also standing out in the data:" if top else "The risk register holds no open risk."
        deck.text_slides(
            "Top risks" + (" in the data" if top else ""), [Block(lead), *bullets(others)], notes
        )


def perspective(deck: Deck, c: Context) -> None:
    """The analyst's perspective, the strategy's statements, values, goals, today and tomorrow."""
    s, w = c["summary"], c["workspace"]
    notes = s["perspective"]
    blocks = paragraphs(s["perspective"])
    if not s["perspective_written_by_team"]:
        blocks.append(Block("Written from the workspace's data.", "small"))
    if w["executive_summary"]:
        blocks += [Block("In brief", "heading"), *paragraphs(w["executive_summary"])]
    deck.text_slides("The analyst's perspective", blocks, notes)
    strategy: list[Block] = []
    for key, label in (("purpose", "Purpose"), ("vision", "Vision"), ("mission", "Mission")):
        if w[key]:
            strategy += [Block(label, "heading"), *paragraphs(w[key])]
    for key, label in (("values", "Values"), ("corporate_goals", "Corporate goals")):
        if w[key]:
            lines = [line.strip() for line in w[key].splitlines() if line.strip()]
            strategy += [Block(label, "heading"), *bullets(lines)]
    if strategy:
        deck.text_slides("The strategy", strategy, notes)
    today = paragraphs(w["current_state"]) or [
        Block("How complaints are handled today has not been described.")
    ]
    future = paragraphs(w["future_state"]) or [
        Block("The state the strategy aims for has not been described.")
    ]
    deck.text_slides("Today", today, notes)
    deck.text_slides("Where we want to be", future, notes)


def assessment(deck: Deck, c: Context) -> None:
    """The verdict with its reasons, readiness and balance charts, factors and the journey."""
    a = c["assessment"]
    notes = " ".join([a["verdict_sentence"], *a["reasons"]])
    verdict = f"Verdict: {a['verdict'].capitalize()}"
    if a["index"] is not None:
        factor = f"{a['factor_score']:.0f}" if a["factor_score"] is not None else "—"
        ready = f"{a['readiness_score']:.0f}" if a["readiness_score"] is not None else "—"
        verdict += f" · index {a['index']:.0f}{' (provisional)' if a['provisional'] else ''}"
        verdict += f" · factors {factor} · readiness {ready}"
    blocks = [Block(verdict, "heading"), Block(a["verdict_sentence"]), *bullets(a["reasons"])]
    if a["readiness"] and a["readiness"]["discussion"]:
        blocks += [
            Block("Where the room disagreed", "heading"),
            *bullets(a["readiness"]["discussion"]),
        ]
    deck.text_slides("Organisational assessment", blocks, notes)
    if a["readiness"]:
        r = a["readiness"]
        respondents = formats.plural(r["respondents"], "respondent", "respondents")
        radar(
            deck,
            "Readiness by dimension",
            r["dimensions"],
            f"Readiness (0\u2013100), {respondents}",
            notes,
        )
    if a["factor_count"]:
        deck.chart_slide(
            "Drivers, enablers and barriers by category",
            XL_CHART_TYPE.BAR_CLUSTERED,
            [row[0] for row in a["balance"]],
            [
                (name, [row[i] for row in a["balance"]])
                for i, name in ((1, "Drivers"), (2, "Enablers"), (3, "Barriers"))
            ],
            "Summed importance of drivers, enablers and barriers in each category",
            notes,
            caption="Summed importance of drivers and enablers against barriers",
        )
    factors = [
        [f["title"], f["category"], f["polarity"], f"{f['importance']} of 5"]
        for f in a["factors"][:10]
    ]
    if factors:
        deck.table_slides(
            "Heaviest factors",
            ["Factor", "Category", "Polarity", "Importance"],
            factors,
            [44, 24, 16, 16],
            notes,
            (3,),
        )
    for inst in a["capabilities"]:
        overall = (
            f"{inst['overall']:.0f} out of 100"
            if inst["overall"] is not None
            else "no overall score"
        )
        radar(deck, inst["title"], inst["dimensions"], f"{inst['title']}: {overall}", notes)
    journey = [
        [stage["stage"] if i == 0 else "", desc, sev, opp or "—"]
        for stage in a["journey"]
        for i, (desc, sev, opp) in enumerate(stage["items"])
    ]
    if journey:
        deck.table_slides(
            "Customer engagement journey",
            ["Stage", "Friction point", "Severity", "Digital opportunity"],
            journey,
            [16, 40, 12, 32],
            notes,
        )


def radar(deck: Deck, title: str, dimensions: Any, series: str, notes: str) -> None:
    """A native radar chart of scores from 0 to 100 by dimension."""
    chart = deck.chart_slide(
        title,
        XL_CHART_TYPE.RADAR_MARKERS,
        [d[0] for d in dimensions],
        [(series, [d[1] for d in dimensions])],
        f"{title}: "
        + "; ".join(f"{d[0]} {'—' if d[1] is None else f'{d[1]:.0f}'}" for d in dimensions),
        notes,
        number_format="0",
    )
    axis = chart.value_axis
    axis.minimum_scale = 0
    axis.maximum_scale = 100
