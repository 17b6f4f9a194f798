"""The deck's operating model, risks and decisions chapters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.storyboard import formats
from workbench.storyboard.deck_pictures import chart_png
from workbench.storyboard.deck_slides import Block, Deck, bullets

Context = Mapping[str, Any]
AREA_NAMES = {
    "assessment": "Conditions from the assessment",
    "alignment": "Gaps in the alignment",
    "delivery": "Delivery",
    "risks": "The risk register",
    "metrics": "Metrics and goals",
    "business_case": "The business case",
    "playbook": "The playbook",
    "raci": "Roles in the recovery processes",
}


def _money(value: float, currency: str) -> str:
    """A playbook amount as the PDF writes it: GBP 180, GBP 12.50."""
    return f"{currency} " + f"{value:,.2f}".replace(".00", "")


def operating(deck: Deck, c: Context) -> None:
    """Canvas, stakeholders, processes and roles, the new structure, playbook and front line."""
    op = c["operating"]
    notes = op["toughest"] or ""
    canvas: list[Block] = []
    for title, items in (
        ("Business needs", op["needs"]),
        ("Organisational and technology drivers", op["drivers"]),
        ("Environmental factors", op["environment"]),
    ):
        canvas += [
            Block(title, "heading"),
            *(bullets([f"{t} ({p})" for t, p in items]) or [Block("None recorded.")]),
        ]
    deck.text_slides("Operating model", canvas, notes)
    rest = [
        Block("Challenges", "heading"),
        *(bullets(op["challenges"]) or [Block("None recorded.")]),
    ]
    rest += [
        Block("Opportunities", "heading"),
        *(bullets(op["opportunities"]) or [Block("None recorded.")]),
    ]
    deck.text_slides("Challenges and opportunities", rest, notes)
    if op["stakeholders"]:
        rows = [[n, k, str(i), str(f), q] for n, k, i, f, q in op["stakeholders"]]
        deck.table_slides(
            "Stakeholders",
            ["Stakeholder", "Kind", "Interest (1 to 5)", "Influence (1 to 5)", "Engage"],
            rows,
            [30, 14, 16, 16, 24],
            notes,
            (2, 3),
        )
    if op["processes"]:
        rows = [
            [
                p["name"],
                p["department"] or "No department named",
                "; ".join(p["initiatives"]) or "None",
            ]
            for p in op["processes"]
        ]
        deck.table_slides(
            "Processes",
            ["Process", "Run by", "Initiatives that change it"],
            rows,
            [36, 24, 40],
            notes,
        )
    for p in op["processes"]:
        if p["people"]:
            rows = [[step, *roles] for step, roles in p["rows"]]
            people = len(p["people"])
            deck.table_slides(
                f"{p['name']}: who does what",
                ["Step", *p["people"]],
                rows,
                [20, *[80 / people] * people],
                "R responsible, A accountable, C consulted, I informed.",
                size=10 if people > 6 else 12,
            )
    if op["changes"]:
        lines = [
            f"{kind.capitalize()}: "
            + (detail.replace(" → ", " becomes ") if kind == "renamed" else name)
            + (f", {detail}" if kind == "moved" else "")
            for kind, name, detail in op["changes"]
        ]
        deck.text_slides("The transformed organisation", bullets(lines), notes)
    _playbook(deck, op, notes)
    _front_line(deck, c["front_line"], op)


def _playbook(deck: Deck, op: Context, notes: str) -> None:
    """The failure-scenario playbook as a table; the paradox of each scenario in the notes."""
    rows = []
    for s in op["scenarios"]:
        response = f"within {s['minutes']} min" if s["minutes"] else "response time to be agreed"
        if s["slow_target"]:
            response += f", {s['slow_target']}"
        remedy = s["compensation"] if s["compensation"] != "none" else "no compensation"
        if s["amount"] is not None:
            remedy += " " + _money(s["amount"], s["currency"])
        if s["limit"] is not None:
            remedy += f"; a manager approves above {_money(s['limit'], s['currency'])}"
        severity = s["severity"] + (", foreseeable" if s["foreseeable"] else "")
        rows.append([s["name"], severity, s["responder"] or "to be decided", response, remedy])
    paradox = " ".join(f"{s['name']}: {s['paradox']}" for s in op["scenarios"])
    if rows:
        headers = ["Scenario", "Severity", "Responder", "Response", "Compensation"]
        deck.table_slides(
            "Failure-scenario playbook", headers, rows, [28, 14, 22, 16, 20], paradox, size=11
        )
    else:
        deck.text_slides("Failure-scenario playbook", [Block("The playbook is empty.")], notes)
    messages = [
        Block(f"{s['name']}: \u201c{s['message']}\u201d", "bullet")
        for s in op["scenarios"]
        if s["message"]
    ]
    if messages:
        deck.text_slides("What we say to the customer", messages, paradox)
    if op["toughest"]:
        deck.text_slides(op["toughest_title"], [Block(op["toughest"])], notes)
    ap = op.get("applications")
    if ap:
        rows = [
            [
                n,
                k,
                o or "not named",
                f"{cost:,}" if cost is not None else "not known",
                formats.short_date(ends) if ends else "no date",
            ]
            for n, k, o, cost, ends in ap["rows"]
        ]
        if rows:
            rows.append(["Total a year", "", "", f"{ap['total_cost']:,}", ""])
            headers = [
                "Application",
                "Kind",
                "Owner",
                f"Annual cost, {ap['currency']}",
                "Contract ends",
            ]
            deck.table_slides(
                "Applications that serve recovery",
                headers,
                rows,
                [28, 18, 26, 14, 14],
                " ".join(ap["sentences"]),
                (3,),
            )
        deck.text_slides("Applications: what the portfolio shows", bullets(ap["sentences"]), notes)


def _front_line(deck: Deck, fl: Context, op: Context) -> None:
    """Stories that may be quoted, training by department and drills."""
    stories: list[Block] = []
    for st in fl["stories"]:
        stories.append(Block(st["title"], "heading"))
        if st["failure"]:
            stories.append(Block("What went wrong: " + st["failure"]))
        if st["response"]:
            stories.append(Block("What staff did: " + st["response"]))
        stories.append(Block(f"\u201c{st['quote']}\u201d — {st['attribution']}"))
    deck.text_slides(
        "Recoveries that went well", stories or [Block("No customer has agreed to be quoted yet.")]
    )
    if fl["training"]:
        rows = [
            [
                t["department"],
                *[str(t[k]) for k in ("sessions", "done", "overdue", "planned", "unscheduled")],
                formats.plural(t["people_trained"], "person", "people"),
                formats.plural(t["scenarios"], "scenario", "scenarios"),
            ]
            for t in fl["training"]
        ]
        headers = [
            "Department",
            "Sessions",
            "Done",
            "Overdue",
            "Planned",
            "Without a date",
            "People trained",
            "Scenarios covered",
        ]
        deck.table_slides(
            "Service training by department",
            headers,
            rows,
            [24, 10, 10, 10, 10, 10, 13, 13],
            "",
            tuple(range(1, 8)),
            size=11,
        )
    gaps = fl["gaps"]
    blocks = (
        [Block("Scenarios the responding team is not trained for", "heading"), *bullets(gaps)]
        if gaps
        else [Block("Every playbook scenario has training that prepares its responding team.")]
    )
    if fl["untaught_limits"]:
        blocks.append(
            Block(
                "Empowerment limits no session teaches yet: "
                + "; ".join(fl["untaught_limits"])
                + "."
            )
        )
    deck.text_slides("Training gaps", blocks)
    dr = op.get("drills")
    if dr and op["scenarios"]:
        rows = []
        for scenario, held_on, outcome, minutes, target, reasons, lessons in dr["held"]:
            verdict = "Met" if outcome == "met" else "Missed: " + " ".join(reasons)
            if lessons:
                verdict += f" Lesson: {lessons}"
            rows.append(
                [
                    formats.long_date(held_on),
                    scenario,
                    f"{minutes if minutes is not None else '—'} of {target}",
                    verdict,
                ]
            )
        if rows:
            headers = ["Held on", "Scenario", "Minutes to first contact, of the target", "Verdict"]
            deck.table_slides("Recovery drills", headers, rows, [14, 30, 16, 40], "", (2,), size=11)
        notes: list[Block] = (
            []
            if rows
            else [Block("No scenario of the playbook has been rehearsed in a drill yet.")]
        )
        if dr["never_drilled"]:
            notes.append(Block("Never drilled: " + "; ".join(dr["never_drilled"]) + "."))
        if dr["last_missed"]:
            notes.append(
                Block("Last drill missed its targets: " + "; ".join(dr["last_missed"]) + ".")
            )
        if notes:
            deck.text_slides("Scenarios to drill next", notes)


def risks(deck: Deck, c: Context) -> None:
    """The risk register as a table, what it leaves open and the heat map."""
    rk = c["risks"]
    if not rk["rows"]:
        deck.text_slides(
            "Risks",
            [
                Block(
                    "The risk register is empty: no risk has been recorded against the "
                    "barriers of the assessment."
                )
            ],
        )
        return
    counts = ", ".join(
        f"{rk['counts'].get(key, 0)} {word}"
        for key, word in (
            ("open", "open"),
            ("mitigating", "being mitigated"),
            ("accepted", "accepted"),
            ("closed", "closed"),
        )
    )
    lead = f"{formats.plural(len(rk['rows']), 'risk is', 'risks are')} in the register: {counts}."
    if rk["overdue"]:
        lead += f" {formats.plural(rk['overdue'], 'review is', 'reviews are')} overdue."
    rows = [
        [
            r["title"] + (f" (from: {'; '.join(r['barriers'])})" if r["barriers"] else ""),
            f"{r['rating']} {r['score']} ({r['likelihood']} \u00d7 {r['impact']}, "
            f"{r['status'].lower()})",
            r["owner"] or "—",
            (formats.short_date(r["review"]) if r["review"] else "—")
            + (" (overdue)" if r["overdue"] else ""),
            "; ".join(r["initiatives"]) if r["initiatives"] else "Nothing yet",
        ]
        for r in rk["rows"]
    ]
    notes = f"{lead} {rk['bands']}"
    deck.table_slides(
        "Risks",
        ["Risk and where it comes from", "Rating", "Owner", "Next review", "Mitigated by"],
        rows,
        [30, 14, 16, 12, 28],
        notes,
        size=11,
    )
    if rk["barrier_gaps"] or rk["unmitigated"]:
        deck.text_slides(
            "What the register leaves open",
            bullets([*rk["barrier_gaps"], *rk["unmitigated"]]),
            notes,
        )
    alt = "Risk heat map: risks not closed by likelihood and impact"
    deck.picture_slide(
        "Risk heat map",
        chart_png("risk_map", rk["heat_map"], alt),
        alt,
        notes,
        "Risks not closed, by likelihood (across) and impact (up); each cell names its rating.",
    )


def decisions(deck: Deck, c: Context) -> None:
    """The open decisions, numbered as in the PDF, each with its owner and date."""
    if not c["decisions"]:
        deck.text_slides(
            "Decisions and next steps",
            [
                Block(
                    "No decision is open: the data shows no gap, no late work and no "
                    "off-track goal."
                )
            ],
        )
        return
    lead = c["summary"]["lead"]
    notes = (
        "Each open point is a decision for the person named, by the date shown. Where the "
        "data names nobody, "
        f"it falls to {lead}, who leads the strategy; where it gives no date, it is due 30 "
        "days after this storyboard."
    )
    rows = [
        [str(n), AREA_NAMES.get(area, area.capitalize()), decision, owner, formats.short_date(due)]
        for n, (area, _subject, decision, owner, due, _named) in enumerate(c["decisions"], start=1)
    ]
    deck.table_slides(
        "Decisions and next steps",
        ["No.", "Area", "Decision", "Owner", "By"],
        rows,
        [6, 18, 48, 16, 12],
        notes,
        (0,),
        size=11,
    )
