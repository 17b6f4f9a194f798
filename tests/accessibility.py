"""The accessibility audit: every GET page of the demo, for each kind of visitor, run through
axe-core in Chromium.

Used by tests/browser/test_accessibility.py (which asserts nothing serious or critical is
found) and by bench/accessibility.py (which prints the figures).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
from flask import Flask
from sqlalchemy import select

from tests.conftest import PASSWORD, SEEDS, Person, make_user
from tests.page_crawl import Fetch, crawl
from workbench.extensions import db
from workbench.models import Role, User, VoteKind, WorkshopParticipant, WorkshopSession
from workbench.services import seeding, voting, workshop, workspaces
from workbench.services.tenancy import allow_system_access, scope_session
from workbench.services.workshop_guide import GUIDE

# The pages as served in production: with their form tokens (tests usually leave them out).
AUDIT_CONFIG = {"WTF_CSRF_ENABLED": True}
# The impacts that fail the audit; "moderate" and "minor" are reported, not failed.
BLOCKING = frozenset({"serious", "critical"})
MEMBER_NAMES = {
    Role.FACILITATOR: "Fran Facilitator",
    Role.ANALYST: "Ana Analyst",
    Role.EXECUTIVE: "Eve Executive",
}
GUEST_NAME = "Gus Guest"
# Pages a signed-out visitor may open; each links to the others.
PUBLIC_STARTS = ("/login", "/register", "/password/forgot", "/workshop/join", "/workshop/ended")
PUBLIC_PREFIXES = ("/login", "/register", "/password/", "/workshop/join", "/workshop/ended")
# Pages no link leads to, audited as well: the "gone" and "not found" answers.
GONE_PAGE = "/password/reset/not-a-real-token"
NOT_FOUND_PAGE = "/workspaces/999999/"
ID = re.compile(r"/\d+(?=/|$)")
MAIN = re.compile(r"<main\b.*?</main>", re.S)
# Form tokens and signed values differ per visitor on pages that are otherwise the same.
TOKEN = re.compile(r"[\w.-]{40,}")
# axe-core's default rules (WCAG 2 A and AA, and best practices) on the whole document.
AXE_RUN = "() => axe.run(document, {resultTypes: ['violations']})"
VIEWPORT = {"width": 1280, "height": 900}


def main_content(html: str, visitor: str) -> str:
    """The page's main landmark with the visitor's name and tokens blanked ("" if it has none)."""
    found = MAIN.search(html)
    return TOKEN.sub("", found.group(0)).replace(visitor, "") if found else ""


def page_key(path: str) -> str:
    """Group paths that differ only by ids: they show the same page with other rows."""
    return ID.sub("/<id>", path)


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on one page, with how many elements break it."""

    audience: str
    path: str
    rule: str
    impact: str
    nodes: int
    help: str
    targets: tuple[str, ...]


@dataclass
class AuditResult:
    """The pages audited per audience and every violation found on them."""

    pages: dict[str, list[str]] = field(default_factory=dict)
    # Pages whose main content is the same as another role's, already audited: only the
    # header and the sidebar differ, and those are audited on the role's other pages.
    same_as_audited: dict[str, list[str]] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    # Seconds spent finding pages, loading them in the browser and running axe.
    seconds: Counter[str] = field(default_factory=Counter)
    # Seconds axe took per page, to find what makes the audit slow.
    page_seconds: Counter[str] = field(default_factory=Counter)

    @property
    def page_count(self) -> int:
        """How many page visits were audited, all audiences together."""
        return sum(len(paths) for paths in self.pages.values())

    def blocking(self) -> list[Violation]:
        """The violations of impact serious or critical."""
        return [v for v in self.violations if v.impact in BLOCKING]

    def by_rule(self) -> list[tuple[str, str, int, int]]:
        """(rule, impact, pages, elements) for every rule broken, most pages first."""
        pages: Counter[tuple[str, str]] = Counter()
        nodes: Counter[tuple[str, str]] = Counter()
        for v in self.violations:
            pages[(v.rule, v.impact)] += 1
            nodes[(v.rule, v.impact)] += v.nodes
        rows = [
            (rule, impact, count, nodes[(rule, impact)]) for (rule, impact), count in pages.items()
        ]
        return sorted(rows, key=lambda row: (-row[2], row[0]))

    def report(self, details: bool = False) -> str:
        """A plain-text summary: pages per audience, then violations per rule."""
        spent = ", ".join(f"{name} {value:.1f} s" for name, value in self.seconds.items())
        lines = [f"Pages audited: {self.page_count} ({spent})"]
        for audience, paths in self.pages.items():
            same = len(self.same_as_audited.get(audience, []))
            lines.append(f"  {audience}: {len(paths)}, and {same} the same as another role's")
        lines.append(
            f"Violations: {len(self.violations)} (rule x page), "
            f"{len(self.blocking())} serious or critical"
        )
        for rule, impact, count, nodes in self.by_rule():
            lines.append(f"  {rule} ({impact}): {count} pages, {nodes} elements")
        slowest = self.page_seconds.most_common(8)
        lines += [f"  slow: {name} {value:.2f} s" for name, value in slowest]
        if details:
            for v in self.violations:
                lines.append(f"{v.audience} {v.path} {v.rule} ({v.impact}): {v.help}")
                lines += [f"    {target}" for target in v.targets[:5]]
        return "\n".join(lines)


@dataclass(frozen=True)
class DemoTeam:
    """The demo workspace with one member per role and an open workshop session."""

    workspace_id: int
    session_id: int
    code: str
    members: dict[Role, Person]


def prepare_demo(app: Flask) -> DemoTeam:
    """Load the demo, give it a member per role and open a session with a dot vote running."""
    with app.app_context():
        allow_system_access(db.session)
        seeding.load_catalogues(db.session, SEEDS)
        _owner, demo, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        workspace_id = demo.id
    members = {
        role: make_user(app, f"{role.value}@example.org", name)
        for role, name in MEMBER_NAMES.items()
    }
    with app.app_context():
        scope_session(db.session, workspace_id)
        for role, person in members.items():
            workspaces.add_member_by_email(db.session, person.email, role)
        facilitator = db.session.get_one(User, members[Role.FACILITATOR].id)
        room = workshop.open_session(db.session, facilitator, "Accessibility audit", 10, 12)
        voting.open_vote(db.session, room, VoteKind.FACTORS, "", 3)
        db.session.commit()
        return DemoTeam(workspace_id, room.id, room.code, members)


def admit_guest(app: Flask, team: DemoTeam) -> None:
    """Admit the waiting guest, as the facilitator would from the roster."""
    with app.app_context():
        scope_session(db.session, team.workspace_id)
        room = db.session.get_one(WorkshopSession, team.session_id)
        waiting = db.session.scalar(
            select(WorkshopParticipant.id).where(
                WorkshopParticipant.session_id == room.id,
                WorkshopParticipant.display_name == GUEST_NAME,
            )
        )
        assert waiting is not None, "the guest never reached the waiting room"
        workshop.decide(db.session, room, waiting, admit=True)
        db.session.commit()


def _browser_fetch(context: Any, base: str) -> Fetch:
    """Fetch through the browser context's cookies, without following redirects."""

    def fetch(url: str) -> tuple[int, str, str]:
        response = context.request.get(base + url, max_redirects=0)
        content_type = response.headers.get("content-type", "")
        html = response.text() if "text/html" in content_type else ""
        return response.status, content_type, html

    return fetch


class Auditor:
    """Runs axe on pages of one browser, collecting the violations."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser = browser
        self.base = base
        self.result = AuditResult()
        self.audited_content: set[tuple[str, str]] = set()

    def new_context(self) -> Any:
        """A browser context (its own cookies) whose every page loads axe-core as it opens."""
        context = self.browser.new_context(viewport=VIEWPORT)
        # Loaded by each page itself, not sent over for each check (half a megabyte).
        context.add_init_script(script=AXE_SCRIPT)
        return context

    def audit(self, audience: str, page: Any, paths: Iterable[str]) -> None:
        """Open each path in the page and record what axe finds there."""
        audited = self.result.pages.setdefault(audience, [])
        for path in paths:
            started = time.perf_counter()
            page.goto(self.base + path, wait_until="load")
            self.result.seconds["loading"] += time.perf_counter() - started
            self.check(audience, page, path)
            audited.append(path)

    def check(self, audience: str, page: Any, path: str) -> None:
        """Run axe on the page as it is now."""
        started = time.perf_counter()
        found = page.evaluate(AXE_RUN)["violations"]
        self.result.seconds["axe"] += time.perf_counter() - started
        self.result.page_seconds[f"{audience} {path}"] = time.perf_counter() - started
        for rule in found:
            self.result.violations.append(
                Violation(
                    audience=audience,
                    path=path,
                    rule=rule["id"],
                    impact=rule["impact"] or "unknown",
                    nodes=len(rule["nodes"]),
                    help=rule["help"],
                    targets=tuple(", ".join(map(str, n["target"])) for n in rule["nodes"]),
                )
            )

    def crawl_and_audit(
        self,
        audience: str,
        context: Any,
        starts: Iterable[str],
        prefixes: tuple[str, ...],
        visitor: str = "",
    ) -> None:
        """Find every HTML page reachable from `starts`, one per kind, and audit each."""
        started = time.perf_counter()
        pages = crawl(_browser_fetch(context, self.base), starts, prefixes, key=page_key)
        self.result.seconds["crawling"] += time.perf_counter() - started
        page = context.pages[0] if context.pages else context.new_page()
        fresh = []
        skipped = self.result.same_as_audited.setdefault(audience, [])
        for path, html in pages.items():
            if "<html" not in html:
                continue
            content = (page_key(path), main_content(html, visitor))
            # The audience's first page is always audited: it carries its header and sidebar.
            if content[1] and content in self.audited_content and fresh:
                skipped.append(path)
                continue
            self.audited_content.add(content)
            fresh.append(path)
        self.audit(audience, page, fresh)


def move_room(app: Flask, team: DemoTeam, index: int) -> None:
    """Move the workshop room to the step at `index`, as the facilitator's controls do."""
    with app.app_context():
        scope_session(db.session, team.workspace_id)
        room = db.session.get_one(WorkshopSession, team.session_id)
        workshop.move(db.session, room, room.version, str(index))
        db.session.commit()


def _refused_forms(auditor: Auditor, page: Any) -> None:
    """The sign-in and registration pages as they answer a refused form."""
    base = auditor.base
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    page.locator(".flash--error").wait_for()
    auditor.check("anonymous", page, "/login, wrong password")
    page.goto(f"{base}/register")
    # Filled to pass the browser's own checks; the server refuses two different passwords.
    page.get_by_label("Your name").fill("Ray Refused")
    page.get_by_label("Email").fill("ray@example.org")
    page.locator("input[name=password]").fill("a long enough password")
    page.locator("input[name=confirm]").fill("another long password")
    page.get_by_role("button", name="Create account").click()
    page.locator(".field-error").first.wait_for()
    auditor.check("anonymous", page, "/register, refused")
    auditor.result.pages["anonymous"] += ["/login, wrong password", "/register, refused"]


def _room_steps(auditor: Auditor, page: Any, app: Flask, team: DemoTeam, room: str) -> None:
    """The facilitator's room at every step of the guide (each shows its own input form)."""
    for index in range(1, len(GUIDE)):
        # Off the room first: an open room reloads itself when the step changes.
        page.goto("about:blank")
        move_room(app, team, index)
        page.goto(auditor.base + room, wait_until="load")
        label = f"{room}, step {index + 1}"
        auditor.check(Role.FACILITATOR.value, page, label)
        auditor.result.pages[Role.FACILITATOR.value].append(label)
    move_room(app, team, 0)


def _log_in(page: Any, base: str, person: Person) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/workspaces/")


def run_audit(browser: Any, base: str, app: Flask, team: DemoTeam) -> AuditResult:
    """Audit the public pages, each member's pages and a workshop guest's pages."""
    auditor = Auditor(browser, base)
    workspace = f"/workspaces/{team.workspace_id}/"
    room = f"{workspace}workshop/{team.session_id}"

    context = auditor.new_context()
    try:
        context.new_page()
        auditor.crawl_and_audit("anonymous", context, PUBLIC_STARTS, PUBLIC_PREFIXES)
        auditor.audit("anonymous", context.pages[0], [GONE_PAGE])
        _refused_forms(auditor, context.pages[0])
    finally:
        context.close()

    for role, person in team.members.items():
        context = auditor.new_context()
        try:
            _log_in(context.new_page(), base, person)
            auditor.crawl_and_audit(
                role.value,
                context,
                ["/workspaces/", workspace],
                ("/workspaces/", "/account/"),
                person.name,
            )
            if role == Role.FACILITATOR:
                auditor.audit(role.value, context.pages[0], [NOT_FOUND_PAGE])
                _room_steps(auditor, context.pages[0], app, team, room)
        finally:
            context.close()

    context = auditor.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/workshop/join?code={team.code}")
        page.get_by_label("Your name").fill(GUEST_NAME)
        page.get_by_role("button", name="Join", exact=True).click()
        page.wait_for_url(f"{base}/workshop/waiting")
        auditor.check("guest", page, "/workshop/waiting")
        auditor.result.pages["guest"] = ["/workshop/waiting"]
        admit_guest(app, team)
        auditor.crawl_and_audit("guest", context, [room], (room,))
    finally:
        context.close()
    return auditor.result
