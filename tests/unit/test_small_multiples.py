"""The small multiples of a metric's sites: shared scales, escaped names, empty panels."""

from __future__ import annotations

import re
from datetime import date

from workbench.charts.small_multiples import Panel, small_multiples_svg


def _numbers(svg: str, name: str) -> list[float]:
    return [float(v) for v in re.findall(rf'{name}="(-?[0-9.]+)"', svg)]


def test_every_panel_is_drawn_on_the_same_scale_inside_the_picture() -> None:
    panels = [
        Panel("North", [(date(2026, 1, 31), 10.0), (date(2026, 2, 28), 20.0)]),
        Panel("South", [(date(2026, 1, 31), 20.0), (date(2026, 2, 28), 10.0)]),
        Panel("East", [(date(2026, 2, 28), 15.0)]),
        Panel("West", []),
    ]
    svg = small_multiples_svg(panels, "%", target=25.0, lowest=0.0, highest=100.0)
    width = float(re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg).group(1))  # type: ignore[union-attr]
    height = float(re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg).group(2))  # type: ignore[union-attr]
    xs, ys = _numbers(svg, "cx"), _numbers(svg, "cy")
    assert len(xs) == 5
    assert all(0 <= x <= width for x in xs) and all(0 <= y <= height for y in ys)
    # North's first point and South's last share a value, so they share a height.
    assert ys[0] == ys[3]
    assert "no readings" in svg and "North" in svg and "West" in svg


def test_names_are_escaped_and_long_ones_shortened() -> None:
    svg = small_multiples_svg([Panel("<script>x</script>" + "y" * 80, [])], "")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "y" * 80 not in svg


def test_a_stale_panel_says_so_under_its_name_and_stays_inside_the_picture() -> None:
    panels = [
        Panel("North", [(date(2026, 1, 31), 10.0), (date(2026, 4, 30), 20.0)]),
        Panel("Old town", [(date(2026, 1, 31), 30.0)], "No recent data since 11 Mar 2026"),
    ]
    svg = small_multiples_svg(panels, "%", target=25.0, lowest=0.0, highest=100.0)
    plain = small_multiples_svg([Panel(p.title, p.points) for p in panels], "%", 25.0, 0, 100)
    assert svg.count("No recent data since 11 Mar 2026") == 1
    assert "No recent data" not in plain
    height = float(re.search(r'viewBox="0 0 [0-9.]+ ([0-9.]+)"', svg).group(1))  # type: ignore[union-attr]
    ys = _numbers(svg, "y") + _numbers(svg, "cy")
    assert all(0 <= y <= height for y in ys)
    # The note sits between the name and the plot: below the title, above every point.
    title_y = float(re.search(r'y="([0-9.]+)"[^>]*>Old town<', svg).group(1))  # type: ignore[union-attr]
    note_y = float(re.search(r'y="([0-9.]+)"[^>]*>No recent data', svg).group(1))  # type: ignore[union-attr]
    assert title_y < note_y < min(_numbers(svg, "cy"))
