"""Settings from the environment and the generated instance secret."""

import stat
from pathlib import Path

from workbench.config import (
    environment_settings,
    instance_secret_key,
    reports_dir,
    seeds_dir,
    sqlite_url_for,
    templates_dir,
)


def test_environment_settings_are_typed_and_prefixed() -> None:
    found = environment_settings(
        {
            "WORKBENCH_DATABASE_URL": "postgresql+psycopg://db/x",
            "WORKBENCH_SESSION_COOKIE_SECURE": "true",
            "WORKBENCH_MAX_CONTENT_LENGTH": "1024",
            "DATABASE_URL": "ignored without the prefix",
            "WORKBENCH_SECRET_KEY": "",
        }
    )
    assert found == {
        "DATABASE_URL": "postgresql+psycopg://db/x",
        "SESSION_COOKIE_SECURE": True,
        "MAX_CONTENT_LENGTH": 1024,
    }


def test_instance_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    first = instance_secret_key(tmp_path / "instance")
    second = instance_secret_key(tmp_path / "instance")
    assert first == second
    assert len(first) >= 40
    mode = (tmp_path / "instance" / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_embedded_database_lives_in_the_instance_folder(tmp_path: Path) -> None:
    url = sqlite_url_for(tmp_path / "inst")
    assert url == f"sqlite:///{tmp_path / 'inst' / 'workbench.sqlite3'}"
    assert (tmp_path / "inst").is_dir()


def test_the_resource_root_can_be_set_from_the_environment() -> None:
    found = environment_settings({"WORKBENCH_RESOURCE_ROOT": "/srv/workbench"})
    assert found == {"RESOURCE_ROOT": "/srv/workbench"}
    assert reports_dir(found) == Path("/srv/workbench/reports")
    assert seeds_dir(found) == Path("/srv/workbench/seeds")
    assert templates_dir(found) == Path("/srv/workbench/templates")
