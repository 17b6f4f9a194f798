"""The deck's alignment and roadmap chapters: score, portfolio, gaps, matrices and the plan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pptx.enum.chart import XL_CHART_TYPE

from workbench.storyboard import formats
from workbench.storyboard.deck_graph import alignment_graph
from workbench.storyboard.deck_pictures import chart_png
from workbench.storyboard.deck_slides import Block, Deck, bullets

Context = Mapping[str, Any]


def _health(i: Context) -> str:
    """The portfolio table's health cell, as the PDF writes it."""
    if i["health"]:
        others = [flag for flag in i["flags"] if flag != i["health_label"]]
        return str(i["health_label"]) + (": " + "; ".join(others) if others else "")
    return "; ".join(i["flags"]) if i["flags"] else "Delivered"


def alignment(deck: Deck, c: Context) -> None:
    """Score, objectives, initiatives, gaps, load, budget, approach, graph and matrices."""
    al = c["alignment"]
    cur = c["summary"]["ask"]["currency"]
    notes = " ".join([al["score_formula"], *al["approach"]["reading"]])
    score = (
        formats.number(al["score"]) + " out of 100"
        if al["score"] is not None
        else "not computed yet"
    )
    lead = (
        f"Alignment score: {score}. "
        f"{formats.plural(len(al['initiatives']), 'active initiative', 'active initiatives')}, "
        f"{formats.plural(len(al['objectives']), 'objective', 'objectives')}."
    )
    parts = [
        [label, f"{num:g}", str(den), f"{pct}%" if pct is not None else "—"]
        for label, num, den, pct in al["components"]
    ]
    deck.text_slides(
        "Initiatives aligned with objectives",
        [Block(lead), Block(al["score_formula"], "small")],
        notes,
    )
    deck.table_slides(
        "How the alignment score is made",
        ["Share", "Counted", "Out of", "Per cent"],
        parts,
        [60, 14, 14, 12],
        notes,
        (1, 2, 3),
    )
    objectives = [
        [
            o["title"],
            o["perspective"],
            o["owner"] or "—",
            formats.short_date(o["due"]),
            str(o["served_by"]),
        ]
        for o in al["objectives"]
    ]
    if objectives:
        deck.table_slides(
            "Objectives",
            ["Objective", "Perspective", "Owner", "Due", "Served by"],
            objectives,
            [44, 18, 18, 12, 8],
            notes,
            (4,),
        )
    portfolio = [
        [
            i["title"],
            i["owner"] or "—",
            i["department"] or "—",
            i["status"].capitalize(),
            f"{formats.short_date(i['start'])} to {formats.short_date(i['end'])}"
            if i["start"] or i["end"]
            else "—",
            formats.number(i["budget"]),
            f"{i['percent_complete']}%" if i["percent_complete"] is not None else "—",
            _health(i),
        ]
        for i in al["initiatives"]
    ]
    if portfolio:
        headers = [
            "Initiative",
            "Owner",
            "Department",
            "Status",
            "Dates",
            f"Budget ({cur})",
            "Done",
            "Health",
        ]
        deck.table_slides(
            "Initiatives",
            headers,
            portfolio,
            [22, 13, 12, 10, 13, 10, 7, 16],
            notes,
            (5, 6),
            size=11,
        )
    g = al["gaps"]
    gaps: list[Block] = []
    for title, items in (
        ("Serving no objective", g["unaligned"]),
        ("Objectives nothing serves", g["unserved"]),
        ("Barriers nobody addresses", g["barriers"]),
        ("Principles not applied", g["principles"]),
    ):
        gaps += [Block(title, "heading"), *(bullets(items) or [Block("None.")])]
    deck.text_slides("Gaps", gaps, notes)
    if al["load_bearing"] and len(al["initiatives"]) > 2:
        rows = [[title, str(load)] for title, load in al["load_bearing"]]
        deck.table_slides(
            "What the strategy leans on most",
            ["Initiative", "Load"],
            rows,
            [80, 20],
            al["load_formula"],
            (1,),
        )
    b = al["budget"]
    if len(b["by_department"]) > 1:
        rows = [
            [label, formats.number(budget), formats.number(spend)]
            for label, budget, spend in b["by_department"]
        ]
        rows.append(
            ["Total of active initiatives", formats.number(b["total"]), formats.number(b["spend"])]
        )
        deck.table_slides(
            "Budget and spend by department",
            ["Department", f"Budget ({cur})", f"Spent ({cur})"],
            rows,
            [50, 25, 25],
            notes,
            (1, 2),
        )
    _approach(deck, al["approach"])
    alignment_graph(deck, c)
    _matrices(deck, al)


def _approach(deck: Deck, ap: Context) -> None:
    """Prevent or recover: the decision, the reading and the budget split as a stacked bar."""
    notes = " ".join(ap["reading"])
    blocks: list[Block] = []
    if ap["decision"]:
        decided = ap["decision"].capitalize() + "."
        if ap["decision_gap"]:
            decided += " " + ap["decision_gap"]
        if ap["rationale"]:
            decided += " The reason given: " + ap["rationale"]
        blocks.append(Block(decided))
    blocks.append(Block(" ".join(ap["reading"])))
    if ap["overall"][3]:
        blocks.append(Block(ap["rule"], "small"))
    if ap["unchosen"]:
        blocks.append(Block("No approach chosen yet: " + "; ".join(ap["unchosen"]) + ".", "small"))
    deck.text_slides("Prevent or recover", blocks, notes)
    lines = [ap["overall"], *ap["by_objective"]]
    if ap["overall"][2] > 0:
        deck.chart_slide(
            "Prevent or recover: budget by objective",
            XL_CHART_TYPE.BAR_STACKED,
            [line[0] for line in lines],
            [(label, [line[1][i][0] for line in lines]) for i, label in enumerate(ap["labels"])],
            "Budget of the active initiatives by approach, overall and for each objective, "
            f"in {ap['currency']}",
            notes,
            caption=f"Budget of the active initiatives by approach, {ap['currency']}",
            unit=f"Budget, {ap['currency']}",
        )


def _matrices(deck: Deck, al: Context) -> None:
    """The two coverage matrices as tables, columns numbered with a key beneath."""
    m = al["matrix"]
    if m["objectives"]:
        key = "; ".join(f"O{n} {title}" for n, title in enumerate(m["objectives"], start=1))
        rows = [
            [title, *[(cell[:1].upper() if cell else "") for cell in cells]]
            for title, cells in m["rows"]
        ]
        headers = ["Initiative", *[f"O{n}" for n in range(1, len(m["objectives"]) + 1)]]
        notes = "S strong, M moderate, W weak contribution. " + key
        deck.table_slides(
            "Initiatives \u00d7 objectives",
            headers,
            rows,
            [40, *[60 / len(m["objectives"])] * len(m["objectives"])],
            notes,
            size=11,
        )
        deck.text_slides(
            "Initiatives \u00d7 objectives: the key",
            [Block("S strong · M moderate · W weak contribution"), *bullets(key.split("; "))],
            notes,
        )
    p = al["principles"]
    if p["names"]:
        headers = ["Initiative", *[f"P{n}" for n in range(1, len(p["names"]) + 1)]]
        rows = [[title, *["•" if cell else "" for cell in cells]] for title, cells in p["rows"]]
        key = "; ".join(f"P{n} {name}" for n, name in enumerate(p["names"], start=1))
        deck.table_slides(
            "Initiatives \u00d7 TQM principles",
            headers,
            rows,
            [40, *[60 / len(p["names"])] * len(p["names"])],
            key,
            size=11,
        )
        deck.text_slides(
            "Initiatives \u00d7 TQM principles: the key", bullets(key.split("; ")), key
        )


def roadmap(deck: Deck, c: Context) -> None:
    """Waves, work needing re-planning, the critical path and the roadmap chart."""
    al = c["alignment"]
    blocks: list[Block] = []
    if al["cycle"]:
        blocks.append(Block(al["cycle"]))
    done = formats.plural(len(al["delivered"]), "initiative is", "initiatives are") + " done"
    done += (": " + ", ".join(al["delivered"]) + ".") if al["delivered"] else "."
    blocks.append(
        Block(
            "Waves hold the work still to come: an initiative sits in the first wave after "
            "everything it depends on. " + done
        )
    )
    for n, (titles, start, end) in enumerate(al["waves"], start=1):
        when = f" · {formats.month(start)} to {formats.month(end)}" if start or end else ""
        blocks += [Block(f"Wave {n}{when}", "heading"), *bullets(titles)]
    if not al["waves"]:
        blocks.append(Block("No work is left to schedule."))
    path = ""
    if al["programme_end"]:
        chain = [al["timeline"][i][0] for i in al["chain"]]
        path = f"The programme ends on {formats.long_date(al['programme_end'])}. "
        path += (
            f"That date is set by a chain of {len(chain)} initiatives, each waiting for the "
            "one before: "
            if len(chain) > 1
            else "That date is set by one initiative: "
        )
        path += ", then ".join(f"\u201c{t}\u201d" for t in chain) + "."
    deck.text_slides("Roadmap and delivery", blocks, path)
    flagged = [
        [i["title"], i["owner"] or "—", " ".join(i["reasons"])]
        for i in al["initiatives"]
        if i["flags"]
    ]
    if flagged:
        deck.table_slides(
            "Needing re-planning", ["Initiative", "Owner", "Why"], flagged, [30, 16, 54], path
        )
    if path:
        more = [
            f"\u201c{title}\u201d can start on {formats.long_date(day)} at the earliest, once "
            f"\u201c{after}\u201d can be finished."
            for title, day, after in al["earliest"]
        ]
        tail = (
            [Block("Planned to start before their dependencies allow:"), *bullets(more)]
            if more
            else []
        )
        deck.text_slides("Critical path", [Block(path), *tail], path)
    if al["timeline"]:
        data = {
            "bars": al["timeline"],
            "links": al["links"],
            "chain": al["chain"],
            "today": c["as_of"],
        }
        alt = (
            f"Roadmap of {len(al['timeline'])} initiatives from planned start to planned end, "
            "with their dependencies, the critical path and today"
        )
        deck.picture_slide(
            "Roadmap",
            chart_png("roadmap", data, alt),
            alt,
            path,
            "Active initiatives from planned start to planned end, coloured by status; the "
            "critical path is outlined; the red dashed line is "
            f"{formats.long_date(c['as_of'])}.",
        )
