"""Follow the links of the application's pages, breadth first, as one signed-in person.

Shared by the page attribute check (Flask test client) and the accessibility audit (the
browser's own request context), so both walk the same pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urljoin, urlsplit

from flask.testing import FlaskClient

LINK = re.compile(r'href="(/[^"#?]*)')
PAGE_LIMIT = 120
# A link that changes something or ends the visit when followed, or serves a file.
SKIPPED = ("/delete", "/logout", "/static/", "/api/")

# One fetch: a URL in, (status, content type, body) out.
Fetch = Callable[[str], tuple[int, str, str]]


def client_fetch(client: FlaskClient) -> Fetch:
    """Fetch pages through a Flask test client."""

    def fetch(url: str) -> tuple[int, str, str]:
        response = client.get(url)
        html = response.get_data(as_text=True) if "text/html" in response.content_type else ""
        return response.status_code, response.content_type, html

    return fetch


def crawl(
    fetch: Fetch,
    starts: Iterable[str],
    prefixes: tuple[str, ...],
    limit: int = PAGE_LIMIT,
    key: Callable[[str], str] = lambda path: path,
) -> dict[str, str]:
    """Map each reachable path to its HTML ("" for a page that is not an HTML 200).

    Only paths under one of `prefixes` are followed. `key` groups paths that show the same
    page (for example the edit pages of two factors); only the first of a group is fetched.
    """
    seen: dict[str, str] = {}
    keys: set[str] = set()
    queue = list(starts)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or key(url) in keys:
            continue
        keys.add(key(url))
        status, content_type, html = fetch(url)
        if status != 200 or "text/html" not in content_type:
            seen[url] = ""
            continue
        seen[url] = html
        for link in LINK.findall(html):
            path = urlsplit(urljoin(url, link)).path
            if (
                path.startswith(prefixes)
                and not any(part in path for part in SKIPPED)
                and path not in seen
            ):
                queue.append(path)
    return seen
