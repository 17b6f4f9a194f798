"""What an htmx request is: the one test every view and error page uses."""

from __future__ import annotations

from flask import request


def is_htmx() -> bool:
    """Return whether htmx sent this request (it expects a fragment, not a whole page)."""
    return bool(request.headers.get("HX-Request"))
