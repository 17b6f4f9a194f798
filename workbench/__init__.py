"""The Service Recovery Strategy Workbench; `create_app` (workbench.app) builds the Flask app.

Importing the package loads nothing else, so the pure layers (analysis, charts) and the
formats come without Flask, the ORM and every blueprint. `from workbench import create_app`
and `flask --app workbench` still work: the name is looked up in workbench.app on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # For the type checker only; at run time __getattr__ below imports it on first use.
    from workbench.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """Return `create_app` from workbench.app, importing the web application only then."""
    if name == "create_app":
        # Deferred on purpose, not for a cycle: importing the package must not build the app.
        from workbench.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
