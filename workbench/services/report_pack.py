"""The pack and the team's commentary as the report context carries them.

`context["pack"]` gives the pack's key, name and ordered section keys (with their titles);
`context["commentary"]` maps a section key to its sanitised HTML and plain paragraphs, for
the pack's sections that have any. Both are in the fingerprint: a new word of commentary or
another order makes a new version.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from workbench.analysis.board_packs import SECTION_TITLES
from workbench.analysis.rich_text import paragraphs, to_html
from workbench.services.board_packs import PackChoice, commentary


@dataclass(frozen=True)
class PackValue:
    """The pack a storyboard was made for: its key, name and sections in order."""

    key: str
    name: str
    sections: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass(frozen=True)
class CommentaryValue:
    """A section's commentary: sanitised HTML for print, plain paragraphs for other formats."""

    html: str
    paragraphs: tuple[str, ...]


def pack_value(pack: PackChoice) -> PackValue:
    """Return the pack as the report context carries it."""
    return PackValue(
        pack.key, pack.name, pack.sections, tuple(SECTION_TITLES[key] for key in pack.sections)
    )


def commentary_values(session: Session, pack: PackChoice) -> dict[str, CommentaryValue]:
    """Return the commentary of the pack's sections that have any, by section key."""
    values = {}
    for key, row in commentary(session).items():
        html = to_html(row.body) if key in pack.sections else ""
        if html:
            values[key] = CommentaryValue(html, paragraphs(html))
    return values
