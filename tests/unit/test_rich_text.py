"""The commentary's rich text: the allowlist, the refusals that say what to remove, the plain
paragraphs, and the pack rules (section keys, order, moves, keys)."""

from __future__ import annotations

import pytest

from workbench.analysis import board_packs as packs
from workbench.analysis.rich_text import MAX_CHARS, RichTextError, check, paragraphs, sanitise
from workbench.analysis.rich_text import to_html as html_of


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("<script>alert(1)</script>Fine", "<script>"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<p onmouseover="x">Hi</p>', "onmouseover"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:alert(1)"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "JaVaScRiPt"),
        ('<a href="file:///etc/passwd">x</a>', "file:///etc/passwd"),
        ('<a href="http://tracker.example/x.png">x</a>', "http://tracker.example"),
        ('<a href="/relative">x</a>', "/relative"),
        ('<p style="color:red">x</p>', "style"),
        ('<iframe src="https://example.org"></iframe>', "<iframe>"),
        ('<img src="https://example.org/a.png">', "<img>"),
        ('<link rel="stylesheet" href="https://example.org/a.css">', "<link>"),
        ("<!-- hidden -->text", "comment"),
        ('<svg onload="x"></svg>', "<svg>"),
    ],
)
def test_hostile_markup_is_refused_naming_what_to_remove(source: str, named: str) -> None:
    with pytest.raises(RichTextError) as raised:
        check(source)
    assert named in str(raised.value)
    assert "paragraphs, lists, bold, italic and links" in str(raised.value)


def test_the_sanitiser_strips_what_slips_past_as_a_second_guard() -> None:
    dirty = (
        '<script>alert(1)</script><p onclick="x" style="color:red">Kept '
        '<a href="javascript:alert(1)">a</a> <a href="http://x.test">b</a> '
        '<a href="https://ok.test">c</a> <a href="mailto:a@b.test">d</a></p>'
        '<iframe src="https://x.test">framed</iframe><style>p{}</style>'
    )
    clean = sanitise(dirty)
    assert "script" not in clean and "alert" not in clean
    assert "onclick" not in clean and "style" not in clean and "iframe" not in clean
    assert "framed" not in clean
    assert "javascript" not in clean and "http://x.test" not in clean
    assert 'href="https://ok.test"' in clean and 'href="mailto:a@b.test"' in clean
    assert "Kept" in clean


def test_plain_writing_becomes_paragraphs_and_lists() -> None:
    source = "First point.\nStill the first.\n\n- one\n- <strong>two</strong>\n\nLast *word*."
    html = html_of(check(source))
    assert html == (
        "<p>First point. Still the first.</p><ul><li>one</li><li><strong>two</strong></li></ul>"
        "<p>Last *word*.</p>"
    )
    assert paragraphs(html) == ("First point. Still the first.", "• one", "• two", "Last *word*.")


def test_html_blocks_are_kept_with_bold_italic_and_links() -> None:
    source = '<p>We <em>must</em> act.</p><ol><li>Fund <b>it</b></li><li><a href="https://a.test">Read</a></li></ol>'
    html = html_of(check(source))
    assert "<em>must</em>" in html and "<b>it</b>" in html
    assert '<a href="https://a.test" rel="noopener noreferrer">Read</a>' in html
    assert paragraphs(html) == ("We must act.", "• Fund it", "• Read")


@pytest.mark.parametrize(
    "text",
    [
        "مراجعة الشكاوى أولاً",
        "投诉处理需要更快",
        "Guests 😀 first 👍🏽",
        "שירות מהיר ‏(RTL)‏",
        "a < b & c > d",
        '=HYPERLINK("https://evil.test","click")',
    ],
)
def test_unicode_and_odd_text_are_kept_as_text(text: str) -> None:
    html = html_of(check(text))
    assert paragraphs(html) == (text,)


def test_oversized_commentary_is_refused_with_its_length() -> None:
    with pytest.raises(RichTextError, match=f"{MAX_CHARS:,} characters; it has 4,001"):
        check("x" * (MAX_CHARS + 1))
    assert check("x" * MAX_CHARS) == "x" * MAX_CHARS


def test_empty_commentary_leaves_nothing() -> None:
    assert html_of("") == "" and html_of("  \n\n ") == ""
    assert paragraphs("") == ()


def test_pack_sections_are_real_ordered_and_unique() -> None:
    assert packs.parse_sections("risks, summary") == ("risks", "summary")
    with pytest.raises(packs.PackShapeError, match="no section called"):
        packs.parse_sections(["summary", "<script>"])
    with pytest.raises(packs.PackShapeError, match="once"):
        packs.parse_sections("summary,summary")
    with pytest.raises(packs.PackShapeError, match="at least one"):
        packs.parse_sections("")
    assert packs.moved(("a", "b", "c"), "c", -1) == ("a", "c", "b")
    assert packs.moved(("a", "b", "c"), "a", -1) == ("a", "b", "c")
    assert packs.moved(("a", "b", "c"), "c", 1) == ("a", "b", "c")


def test_default_packs_and_keys() -> None:
    names = {name: sections for _key, name, sections in packs.DEFAULT_PACKS}
    assert names["Leadership team"] == packs.SECTION_KEYS
    assert set(names["Front line"]) == {"summary", "operating", "metrics"}
    assert len(names["Board"]) < len(packs.SECTION_KEYS)
    assert packs.pack_key("Audit Committee", []) == "audit-committee"
    assert packs.pack_key("Board", ["board", "board-2"]) == "board-3"
    assert packs.pack_key("投诉 😀", []) == "pack"
