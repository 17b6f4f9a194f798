"""Importing the package or a pure module does not build the web application."""

import subprocess
import sys
from pathlib import Path

import pytest

import workbench

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(code: str) -> set[str]:
    # A fresh interpreter: this test process has long since imported the app via conftest.
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    return set(result.stdout.split())


def test_a_pure_module_loads_neither_flask_nor_the_orm() -> None:
    loaded = _modules_after("import workbench.analysis.economics")
    assert "workbench.analysis.economics" in loaded
    assert not {"flask", "sqlalchemy", "workbench.app", "workbench.web"} & loaded


def test_create_app_is_still_importable_from_the_package() -> None:
    loaded = _modules_after(
        "from workbench import create_app\nfrom workbench.app import create_app as factory\n"
        "assert create_app is factory"
    )
    assert {"workbench.app", "workbench.web", "flask"} <= loaded


def test_an_unknown_package_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        getattr(workbench, "no_such_name")  # noqa: B009
