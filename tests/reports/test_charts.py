"""Server-side SVG charts: well-formed, accessible, escaped, no script, honest about gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from nap1325.reports.charts import Bar, Point, nice_ticks, progress_bars, time_series_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def series(**overrides):
    arguments = {
        "chart_id": "c1",
        "title": "Women mediators trained",
        "description": "Values per period with the target to date.",
        "points": [
            Point("2023", Decimal(40), "40"),
            Point("2024", Decimal(95), "95"),
            Point("2025", None, "not reported"),
        ],
        "target": [Decimal(50), Decimal(100), Decimal(150)],
        "value_label": "Value",
        "target_label": "Target to date",
    }
    arguments.update(overrides)
    return time_series_chart(**arguments)


def test_time_series_is_an_accessible_image_with_title_and_description():
    root = parse(series())
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}title").text == "Women mediators trained"
    assert root.find(f"{SVG}desc").text == "Values per period with the target to date."
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("width") == "100%"


def test_a_period_without_data_draws_no_bar_and_says_so():
    root = parse(series())
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert [bar.find(f"{SVG}title").text for bar in bars] == ["2023: 40", "2024: 95"]
    assert "not reported" in texts(root)
    assert "95" in texts(root) and "40" in texts(root)


def test_taller_value_makes_a_taller_bar_and_the_target_is_a_dashed_line():
    root = parse(series())
    heights = [
        float(rect.get("height"))
        for rect in root.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    ]
    assert heights[1] / heights[0] == pytest.approx(95 / 40, rel=0.02)
    dashed = [path for path in root.iter(f"{SVG}path") if path.get("stroke-dasharray")]
    assert len(dashed) == 1 and dashed[0].get("d").count("L") == 2  # three targets joined


@pytest.mark.parametrize(
    "hostile",
    ['<script>alert("x")</script>', 'Women & men\'s "share"', "]]><x/>", "javascript:alert(1)"],
)
def test_every_text_is_escaped_and_nothing_executes(hostile):
    svg = series(
        title=hostile,
        description=hostile,
        points=[Point(hostile, Decimal(1), hostile)],
        target=[],
        value_label=hostile,
    )
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == hostile
    assert "<script" not in svg
    assert all(node.tag != f"{SVG}script" for node in root.iter())
    assert not any(name.startswith("on") for node in root.iter() for name in node.attrib)
    assert "href" not in svg


def test_negative_values_and_empty_series_do_not_break():
    root = parse(series(points=[Point("Q1", Decimal(-5), "-5")], target=[None]))
    assert "-5" in texts(root)
    root = parse(series(points=[], target=[]))
    assert root.get("role") == "img"


def test_targets_must_match_points():
    with pytest.raises(ValueError, match="one target per point"):
        series(target=[Decimal(1)])


def test_many_periods_get_slanted_labels_and_a_wider_chart():
    points = [Point(f"2019 Q{n} (revised)", Decimal(n), str(n)) for n in range(1, 13)]
    svg = series(points=points, target=[])
    assert "rotate(-40" in svg
    width = int(parse(svg).get("viewBox").split()[2])
    assert width >= 12 * 80


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("0", "95", ["0", "20", "40", "60", "80", "100"]),
        ("0", "150", ["0", "50", "100", "150"]),
        ("0", "0.3", ["0", "0.1", "0.2", "0.3"]),
        ("-37.5", "125", ["-50", "0", "50", "100", "150"]),
        ("0", "0", ["0", "0.2", "0.4", "0.6", "0.8", "1"]),
    ],
)
def test_nice_ticks(low, high, expected):
    assert [str(t) for t in nice_ticks(Decimal(low), Decimal(high))] == expected


def test_progress_bars_cap_over_achievement_visually_and_keep_the_number():
    svg = progress_bars(
        chart_id="p1",
        title="Progress by pillar",
        description="Average progress of actions.",
        bars=[
            Bar("Participation", Decimal("66.7"), "66.7 %"),
            Bar("Prevention", Decimal(125), "125 %"),
            Bar("Protection", Decimal("-37.5"), "-37.5 %"),
            Bar("Relief and recovery", None, "not reported"),
        ],
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert {"66.7 %", "125 %", "-37.5 %", "not reported"} <= set(texts(root))
    filled = [
        float(rect.get("width"))
        for rect in root.iter(f"{SVG}rect")
        if rect.get("fill") not in ("#eef2f6",)
    ]
    track = float(
        next(r.get("width") for r in root.iter(f"{SVG}rect") if r.get("fill") == "#eef2f6")
    )
    assert filled == [pytest.approx(track * 0.667, rel=0.01), pytest.approx(track)]  # capped
    assert "…" not in svg
    long = progress_bars(
        chart_id="p2", title="t", description="d", bars=[Bar("x" * 200, Decimal(1), "1 %")]
    )
    assert "…" in long and "x" * 200 in long  # shortened label, full label in the tooltip
