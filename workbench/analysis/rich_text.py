"""The team's commentary: a little rich text (paragraphs, lists, bold, italic, links), checked
and sanitised to an allowlist, with its plain paragraphs for formats that carry no HTML.

Text without any block tag is read as plain writing: a blank line starts a paragraph and
lines starting with "- " or "* " make a list. Anything outside the allowlist is refused
with a message saying what, so nothing typed is silently dropped; `sanitise` is applied
again on every read as a second guard.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "a"})
ATTRIBUTES = {"a": {"href"}}
# Links may point at a web page over https or at an email address; nothing is ever fetched.
SCHEMES = frozenset({"https", "mailto"})
MAX_CHARS = 4000
_BULLET = re.compile(r"^\s*[-*•]\s+")


class RichTextError(ValueError):
    """Commentary that cannot be stored as written; the message says why."""


class _Scan(HTMLParser):
    """Collects what the allowlist would remove, and the plain text of each block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._in_item = False
        self._skip = 0

    def _flush(self, prefix: str = "") -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(prefix + text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append(f"the <{tag}> element")
            if tag in {"script", "style", "iframe", "object", "template", "svg", "math"}:
                self._skip += 1
            return
        for name, value in attrs:
            if name != "href" or tag != "a":
                self.problems.append(f"the {name} attribute on <{tag}>")
                continue
            scheme = (value or "").strip().split(":", 1)[0].lower()
            if ":" not in (value or "") or scheme not in SCHEMES:
                self.problems.append(
                    f"the link “{(value or '')[:60]}” (links start with https:// or mailto:)"
                )
        if tag in {"p", "ul", "ol"}:
            self._flush("• " if self._in_item else "")
        if tag == "li":
            self._flush()
            self._in_item = True
        if tag == "br":
            self._current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in TAGS:
            if tag in {"script", "style", "iframe", "object", "template", "svg", "math"}:
                self._skip = max(0, self._skip - 1)
            return
        if tag == "li":
            self._flush("• ")
            self._in_item = False
        elif tag in {"p", "ul", "ol"}:
            self._flush("• " if self._in_item else "")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._current.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append("a comment (<!-- … -->)")

    def close(self) -> None:
        super().close()
        self._flush("• " if self._in_item else "")


def _has_blocks(text: str) -> bool:
    return re.search(r"<\s*(p|ul|ol|li)\b", text, re.IGNORECASE) is not None


def _from_plain(text: str) -> str:
    """Plain writing as HTML: blank lines part paragraphs, '- ' lines make a list.

    Inline tags typed in the text (<strong>, <a href>) pass through to the allowlist.
    """
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_BULLET.sub('', line)}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{' '.join(lines)}</p>")
    return "".join(parts)


def sanitise(html: str) -> str:
    """Return HTML reduced to the allowlist: unknown elements and attributes are removed."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "template"},
        attributes={key: set(value) for key, value in ATTRIBUTES.items()},
        url_schemes=set(SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def check(source: str) -> str:
    """Return the commentary as stored (trimmed), or raise RichTextError saying what to change."""
    text = source.strip()
    if len(text) > MAX_CHARS:
        raise RichTextError(
            f"Keep the commentary to {MAX_CHARS:,} characters; it has {len(text):,}."
        )
    scan = _Scan()
    scan.feed(text)
    scan.close()
    if scan.problems:
        found = "; ".join(dict.fromkeys(scan.problems))
        raise RichTextError(
            "The commentary may hold paragraphs, lists, bold, italic and links only. "
            f"Remove {found[:300]}."
        )
    return text


def to_html(source: str) -> str:
    """Return the stored commentary as sanitised HTML ("" when there is none)."""
    text = source.strip()
    if not text:
        return ""
    return sanitise(text if _has_blocks(text) else _from_plain(text)).strip()


def paragraphs(html: str) -> tuple[str, ...]:
    """Return the plain text of each paragraph and list item ('• ' before an item)."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return tuple(scan.blocks)
