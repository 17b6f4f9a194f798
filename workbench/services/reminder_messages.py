"""What a reminder email says: one message per person, workspace and kind, as text and HTML.

Every name in a message was typed by someone (a metric, a goal's metric, an initiative, a
workspace), so the HTML escapes each of them, and the subject, built from names, is made
one line of bounded length whatever they contain. Each message carries the headers of a
one-click unsubscribe (RFC 2369 and RFC 8058).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from workbench.analysis.reminders import Kind
from workbench.services.mail import Message
from workbench.services.mail_messages import PRODUCT

SUBJECT_NAME_MAX = 60


@dataclass(frozen=True)
class Item:
    """One thing a reminder is about: its name, what is owed, and the page to act on it."""

    title: str
    detail: str
    link: str


@dataclass(frozen=True)
class FooterLinks:
    """The links every reminder carries besides its items."""

    unsubscribe: str
    unsubscribe_all: str
    preferences: str


_HEADINGS = {
    Kind.METRIC_DUE: ("A reading is due", "readings are due"),
    Kind.METRIC_OVERDUE: ("A reading is overdue", "readings are overdue"),
    Kind.GOAL_STATUS: ("A goal needs attention", "goals need attention"),
    Kind.INITIATIVE_LATE: ("An initiative is late", "initiatives are late"),
}
_OPENINGS = {
    Kind.METRIC_DUE: "a new reading is due for a metric you own",
    Kind.METRIC_OVERDUE: "a metric you own has had no reading since its last one fell due",
    Kind.GOAL_STATUS: "a goal of a metric you own has turned at risk or off track",
    Kind.INITIATIVE_LATE: "an initiative you own has turned late",
}
_ACTIONS = {
    Kind.METRIC_DUE: "Record the reading on the metric's page.",
    Kind.METRIC_OVERDUE: "Record the missing reading on the metric's page.",
    Kind.GOAL_STATUS: "See what the status is based on, and what would bring the goal back.",
    Kind.INITIATIVE_LATE: "Update its dates, milestones or progress, or say why it slipped.",
}


def one_line(text: str, limit: int = SUBJECT_NAME_MAX) -> str:
    """A name fit for a subject line: every run of spacing or control characters one space."""
    cleaned = "".join(c if c.isprintable() else " " for c in text)
    words = " ".join(cleaned.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def subject(kind: Kind, workspace: str, items: Sequence[Item]) -> str:
    """The subject line: what happened, to what, in which workspace; always one line."""
    single, plural = _HEADINGS[kind]
    about = one_line(items[0].title) if len(items) == 1 else f"{len(items)} {plural}"
    lead = single if len(items) == 1 else plural[0].upper() + plural[1:]
    if len(items) == 1:
        return f"{lead}: {about} ({one_line(workspace, 40)})"
    return f"{lead} ({one_line(workspace, 40)})"


def reminder(
    to: str, name: str, workspace: str, kind: Kind, items: Sequence[Item], links: FooterLinks
) -> Message:
    """The reminder to one person about one or more items of one kind in one workspace."""
    opening = f"Hello {name}, in “{workspace}” {_OPENINGS[kind]}:"
    if len(items) > 1:
        opening = f"Hello {name}, in “{workspace}” these need you ({len(items)}):"
    text_items = [f"* {item.title}\n  {item.detail}\n  {item.link}" for item in items]
    closing = (
        f"You receive this because you are named as the owner. Stop reminders like this "
        f"one: {links.unsubscribe}\nStop every reminder: {links.unsubscribe_all}\n"
        f"Choose which reminders you receive: {links.preferences}"
    )
    text = "\n\n".join([opening, *text_items, _ACTIONS[kind], closing, f"-- \n{PRODUCT}"]) + "\n"
    html_items = Markup("").join(
        Markup(
            '<li><a href="{link}" dir="auto">{title}</a><br><span dir="auto">{detail}</span></li>'
        ).format(link=item.link, title=item.title, detail=item.detail)
        for item in items
    )
    html = Markup(
        '<!doctype html><html lang="en"><body style="font-family:sans-serif;line-height:1.5">'
        '<p dir="auto">{opening}</p><ul>{items}</ul><p>{action}</p>'
        '<p style="color:#555">You receive this because you are named as the owner. '
        '<a href="{unsubscribe}">Stop reminders like this one</a> · '
        '<a href="{unsubscribe_all}">Stop every reminder</a> · '
        '<a href="{preferences}">Choose which reminders you receive</a></p>'
        '<p style="color:#555">{product}</p></body></html>'
    ).format(
        opening=opening,
        items=html_items,
        action=_ACTIONS[kind],
        unsubscribe=links.unsubscribe,
        unsubscribe_all=links.unsubscribe_all,
        preferences=links.preferences,
        product=PRODUCT,
    )
    headers = (
        ("List-Unsubscribe", f"<{links.unsubscribe}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    )
    return Message(
        to, subject(kind, workspace, items), text, str(html), one_line(name, 120), headers
    )
