"""The deck's appendix: the changes since the last published version, how the figures are
worked out, and the data fingerprint, worded as the PDF's appendix words them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workbench.analysis.method_notes import method_notes
from workbench.analysis.report_diff import SectionDiff
from workbench.storyboard import formats
from workbench.storyboard.deck_slides import Block, Deck, bullets

CHANGES_TITLE = "Changes since the last published version"
FIRST_VERSION = (
    "This is the first published version of the storyboard, so there is no earlier "
    "version to compare it with."
)


def appendix(
    deck: Deck, c: Mapping[str, Any], meta: Mapping[str, str], extra: Mapping[str, Any]
) -> None:
    """The changes since the last version (when `extra` holds them), method notes, fingerprint.

    `extra` is what the PDF's appendix adds beside the data (see services.storyboard.appendix);
    without a "since" entry the changes are left out, as the PDF leaves them out.
    """
    if "since" in extra:
        deck.text_slides(f"Appendix: {CHANGES_TITLE.lower()}", changes_blocks(extra["since"]))
    blocks: list[Block] = []
    for note in method_notes():
        blocks += [
            Block(note.title, "heading"),
            Block(f"{note.formula}. {note.explanation}", "small"),
        ]
    deck.text_slides("Appendix: how the figures are worked out", blocks)
    changed = c.get("changes", {}).get("last_change")
    when = (
        f", last changed on {formats.long_date(changed)} at {changed[11:16]} UTC" if changed else ""
    )
    text = (
        "Every figure in this deck is computed from the workspace's data as of "
        f"{formats.long_date(c['as_of'])}{when}. "
        "This fingerprint identifies exactly that data; a copy with the same fingerprint "
        "shows the same figures:"
    )
    deck.text_slides("Data fingerprint", [Block(text), Block(meta.get("fingerprint", ""))])


def changes_blocks(since: Mapping[str, Any] | None) -> list[Block]:
    """The changes as the PDF lists them: each part's first changes, then "And N more"."""
    if since is None:
        return [Block(FIRST_VERSION)]
    published = f", published on {since['published']}" if since.get("published") else ""
    parts: Sequence[SectionDiff] = since.get("sections") or ()
    if not parts:
        return [
            Block(
                "Nothing in the figures or the text has changed since version "
                f"{since['number']}{published}."
            )
        ]
    blocks = [Block(f"Compared with version {since['number']}{published}:")]
    for part in parts:
        lines = [change.text for change in part.changes]
        if part.more:
            lines.append(part.more_text.capitalize())
        blocks += [Block(part.title, "heading"), *bullets(lines)]
    return blocks
