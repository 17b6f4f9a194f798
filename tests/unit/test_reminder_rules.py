"""Reminder rules: owners resolved to members, what is owed on which day, and safe messages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workbench.analysis.reminders import (
    Kind,
    Member,
    MetricFacts,
    Seen,
    goal_reminder,
    initiative_reminder,
    metric_reminder,
    observe,
    resolve_owner,
)
from workbench.services import mail
from workbench.services.reminder_messages import FooterLinks, Item, one_line, reminder, subject

ANA = Member(1, "ana@example.org", "Ana Analyst")
AMIR = Member(2, "amir@example.org", "أمير")
TWINS = (Member(3, "sam.one@example.org", "Sam Lee"), Member(4, "sam.two@example.org", "Sam Lee"))
MEMBERS = (ANA, AMIR, *TWINS)


@pytest.mark.parametrize(
    "owner",
    [
        "Ana Analyst",
        "  ana   ANALYST ",
        "ANA@example.org",
        "Ana A. <ana@example.org>",
        "ana@example.org",
        "Ana Analyst, head of guest relations",  # a name, then the role after a comma
    ],
)
def test_an_owner_names_a_member_by_name_or_address(owner: str) -> None:
    assert resolve_owner(owner, MEMBERS).member == ANA


def test_a_right_to_left_name_resolves_too() -> None:
    assert resolve_owner("أمير", MEMBERS).member == AMIR


@pytest.mark.parametrize(
    ("owner", "words"),
    [
        ("", "No owner"),
        ("   ", "No owner"),
        ("Head of marketing", "No member"),
        ("Ana", "No member"),  # a part of a name is not a match
        ("ana@example.org.evil", "No member"),
        ("Sam Lee", "2 members"),
        ("Sam Lee, duty manager", "2 members"),
        ("Head of guest relations, Ana Analyst", "No member"),  # the name comes first
        (", Ana Analyst", "No member"),
    ],
)
def test_an_owner_that_names_nobody_says_why(owner: str, words: str) -> None:
    found = resolve_owner(owner, MEMBERS)
    assert found.member is None
    assert words in found.reason


def test_twins_are_told_apart_by_address() -> None:
    assert resolve_owner("sam.two@example.org", MEMBERS).member == TWINS[1]


def _metric(latest: date | None, frequency: str = "monthly") -> MetricFacts:
    return MetricFacts(42, "CSAT", "Ana Analyst", frequency, latest)


def test_a_reading_is_owed_from_the_due_day_until_the_grace_ends() -> None:
    latest = date(2026, 11, 24)
    assert metric_reminder(_metric(latest), date(2026, 12, 23)) is None
    due = metric_reminder(_metric(latest), date(2026, 12, 24))
    assert due is not None and due.kind is Kind.METRIC_DUE
    assert due.occurrence == "metric-due:42:2026-12-24"
    assert "24 December 2026" in due.detail
    last_grace_day = date(2026, 12, 24) + timedelta(days=10)
    also = metric_reminder(_metric(latest), last_grace_day)
    assert also is not None and also.occurrence == due.occurrence  # the same reminder
    stale = metric_reminder(_metric(latest), last_grace_day + timedelta(days=1))
    assert stale is not None and stale.kind is Kind.METRIC_OVERDUE
    assert stale.occurrence == "metric-overdue:42:2026-12-24"
    # Long after, still the same overdue reminder: one per period, not one per day.
    later = metric_reminder(_metric(latest), date(2027, 6, 1))
    assert later is not None and later.occurrence == stale.occurrence


def test_a_metric_never_measured_is_owed_nothing() -> None:
    assert metric_reminder(_metric(None), date(2026, 12, 24)) is None


def test_a_weekly_metric_is_due_a_week_on() -> None:
    due = metric_reminder(_metric(date(2026, 12, 1), "weekly"), date(2026, 12, 8))
    assert due is not None and due.occurrence == "metric-due:42:2026-12-08"


def test_a_status_keeps_the_day_it_was_first_seen() -> None:
    first = observe(None, "at_risk", date(2026, 12, 1))
    assert first == Seen("at_risk", date(2026, 12, 1))
    assert observe(first, "at_risk", date(2026, 12, 9)) == first
    assert observe(first, "off_track", date(2026, 12, 9)) == Seen("off_track", date(2026, 12, 9))


def test_only_at_risk_and_off_track_goals_are_owed_a_message() -> None:
    day = date(2026, 12, 1)
    for status in ("on_track", "no_data", "no_goal"):
        assert goal_reminder(7, "CSAT", "Ana", Seen(status, day), "") is None
    risk = goal_reminder(7, "CSAT", "Ana", Seen("at_risk", day), "Trend is short.")
    assert risk is not None and risk.occurrence == "goal-status:7:at_risk:2026-12-01"
    assert "at risk since 1 December 2026. Trend is short." in risk.detail
    off = goal_reminder(7, "CSAT", "Ana", Seen("off_track", day), "")
    assert off is not None and off.occurrence == "goal-status:7:off_track:2026-12-01"


def test_only_late_initiatives_are_owed_a_message() -> None:
    day = date(2026, 12, 1)
    assert initiative_reminder(5, "Playbook", "Ana", Seen("at_risk", day), "") is None
    late = initiative_reminder(5, "Playbook", "Ana", Seen("late", day), "Was due.")
    assert late is not None and late.occurrence == "initiative-late:5:2026-12-01"


HOSTILE = '<script>alert("x")</script>\r\nBcc: victim@example.org\x00 رضا 满意 😀'
LINKS = FooterLinks(
    "https://wb.example/u/a", "https://wb.example/u/b", "https://wb.example/account"
)


def test_a_subject_from_hostile_names_is_one_bounded_line() -> None:
    items = [Item(HOSTILE * 5, "detail", "https://wb.example/m/1")]
    line = subject(Kind.METRIC_DUE, HOSTILE, items)
    assert "\r" not in line and "\n" not in line and "\x00" not in line
    assert len(line) < 140
    assert line.startswith("A reading is due: <script>")
    assert one_line("a\tb\u2028c\x1bd") == "a b c d"


def test_a_message_escapes_every_name_and_carries_unsubscribe_headers() -> None:
    items = [
        Item(HOSTILE, "Due on 24 December 2026.", "https://wb.example/m/1"),
        Item('=HYPERLINK("http://evil.example")', "file:///etc/passwd", "https://wb.example/m/2"),
    ]
    message = reminder("ana@example.org", "Ana <b>", HOSTILE, Kind.METRIC_DUE, items, LINKS)
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html
    assert "Ana &lt;b&gt;" in message.html
    assert "رضا 满意 😀" in message.text and "رضا 满意 😀" in message.html
    # Nothing the owner typed becomes a link: only our own addresses are in href.
    hrefs = [part.split('"', 1)[0] for part in message.html.split('href="')[1:]]
    assert all(href.startswith("https://wb.example/") for href in hrefs)
    assert message.subject == f"Readings are due ({one_line(HOSTILE, 40)})"
    built = mail.build(message, "Workbench <wb@example.org>")
    assert built["List-Unsubscribe"] == "<https://wb.example/u/a>"
    assert built["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert built["Bcc"] is None
    assert "https://wb.example/u/b" in message.text  # every reminder, at once


def test_a_header_with_a_line_break_is_refused() -> None:
    message = reminder(
        "ana@example.org", "Ana", "W", Kind.METRIC_DUE, [Item("x", "y", "https://w/m")], LINKS
    )
    bad = mail.Message(
        message.to, message.subject, message.text, message.html, headers=(("X-A", "1\r\nBcc: b@c"),)
    )
    with pytest.raises(mail.ServiceError):
        mail.build(bad, "wb@example.org")
