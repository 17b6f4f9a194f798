"""The resource root comes from the configuration: pages, storyboard layout and seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask

from tests.conftest import BASE_CONFIG, login
from workbench import create_app
from workbench.config import PROJECT_ROOT, reports_dir, seeds_dir, templates_dir

MARKER = "Laid out from the configured resource root"


def _resources(tmp_path: Path) -> Path:
    """A resource root of its own: the real pages and seeds, a storyboard layout changed."""
    root = tmp_path / "resources"
    root.mkdir()
    for name in ("templates", "seeds"):
        (root / name).symlink_to(PROJECT_ROOT / name, target_is_directory=True)
    shutil.copytree(PROJECT_ROOT / "reports", root / "reports")
    layout = root / "reports" / "storyboard.html"
    text = layout.read_text(encoding="utf-8")
    layout.write_text(text.replace("</h1>", f"</h1><p>{MARKER}</p>", 1), encoding="utf-8")
    return root


def test_the_storyboard_layout_is_read_from_the_configured_root(
    database_url: str, team: dict, tmp_path: Path
) -> None:
    root = _resources(tmp_path)
    app: Flask = create_app(
        {**BASE_CONFIG, "DATABASE_URL": database_url, "RESOURCE_ROOT": str(root)}
    )
    assert (templates_dir(app.config), reports_dir(app.config), seeds_dir(app.config)) == (
        root / "templates",
        root / "reports",
        root / "seeds",
    )
    assert app.jinja_loader is not None
    assert app.jinja_loader.searchpath == [str(root / "templates")]  # type: ignore[attr-defined]
    client = app.test_client()
    login(client, team["facilitator"])
    preview = client.get(f"/workspaces/{team['workspace_id']}/storyboard/preview")
    assert preview.status_code == 200
    assert MARKER in preview.get_data(as_text=True)
    # The checkout's own layout does not have it, so the page above came from the root.
    assert MARKER not in (PROJECT_ROOT / "reports" / "storyboard.html").read_text()
