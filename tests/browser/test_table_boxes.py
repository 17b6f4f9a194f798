"""Long tables grow with the page instead of hiding rows in small inner scroll boxes."""

from __future__ import annotations

from tests.conftest import PASSWORD, SEEDS, add_member, make_user, seed
from workbench.extensions import db
from workbench.models import Role
from workbench.services import seeding
from workbench.services.tenancy import allow_system_access


def test_the_demo_history_and_matrix_show_every_row_without_an_inner_scroll(
    page, live_server: str, app
) -> None:
    seed(app)
    with app.app_context():
        allow_system_access(db.session)
        _user, demo, _created = seeding.create_demo(db.session, SEEDS)
        db.session.commit()
        wid = demo.id
    person = make_user(app, "reader@example.org", "Rita Reader")
    add_member(app, wid, person, Role.ANALYST)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/workspaces/")
    for path in ("history", "alignment/matrix", "metrics/library"):
        page.goto(f"{live_server}/workspaces/{wid}/{path}")
        boxes = page.locator(".table-wrap, .matrix-wrap")
        assert boxes.count() > 0, path
        for index in range(boxes.count()):
            clipped = boxes.nth(index).evaluate("e => e.scrollHeight > e.clientHeight + 1")
            assert not clipped, (path, index)
