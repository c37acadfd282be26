"""The SVG timeline: shapes per kind and state, the today line, escaping."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from nap1325.reports.timeline import TimelineItem, month_ticks, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def draw(items, today=dt.date(2012, 9, 15)) -> ET.Element:
    svg = timeline_svg(
        items,
        today=today,
        title="Work plan timeline",
        description="Items on a date axis",
        today_text=f"Today, {today:%d %b %Y}",
        month_label=lambda day: day.strftime("%b %Y"),
    )
    return ET.fromstring(svg)


def test_milestone_is_a_diamond_task_with_start_a_bar_task_without_a_dot():
    root = draw(
        [
            TimelineItem(
                key="item-1", label="Draft reviewed", due=dt.date(2012, 10, 31), is_milestone=True
            ),
            TimelineItem(
                key="item-2",
                label="Consultations",
                start=dt.date(2012, 8, 1),
                due=dt.date(2012, 9, 30),
            ),
            TimelineItem(key="item-3", label="Send invitations", due=dt.date(2012, 8, 10)),
        ]
    )
    rows = root.findall(f"{SVG}a")
    assert [row.get("href") for row in rows] == ["#item-1", "#item-2", "#item-3"]
    shapes = [
        [
            child.tag.removeprefix(SVG)
            for child in row.find(f"{SVG}g")
            if child.tag != f"{SVG}text" and child.tag != f"{SVG}title"
        ]
        for row in rows
    ]
    assert shapes == [["polygon"], ["rect"], ["circle"]]


def test_overdue_is_hatched_red_marked_and_said_in_words():
    root = draw(
        [
            TimelineItem(
                key="item-1",
                label="Late",
                due=dt.date(2012, 9, 1),
                is_overdue=True,
                text="due 1 Sep 2012 · overdue",
            )
        ]
    )
    group = root.find(f"{SVG}a/{SVG}g")
    circle = group.find(f"{SVG}circle")
    assert circle.get("fill") == "url(#work-plan-timeline-overdue)"
    assert root.find(f"{SVG}defs/{SVG}pattern").get("id") == "work-plan-timeline-overdue"
    texts = ["".join(text.itertext()) for text in group.findall(f"{SVG}text")]
    assert texts == ["! Late — due 1 Sep 2012 · overdue", "!"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2012, 9, 15), "line"),  # inside the dates shown
        (dt.date(2026, 11, 29), "Today, 29 Nov 2026 →"),  # long after
        (dt.date(2000, 1, 1), "← Today, 01 Jan 2000"),  # long before
    ],
)
def test_today_is_a_line_or_an_arrow_at_the_edge(today, expected):
    root = draw(
        [
            TimelineItem(key="item-1", label="A", due=dt.date(2012, 10, 31)),
            TimelineItem(key="item-2", label="B", due=dt.date(2012, 8, 1)),
        ],
        today=today,
    )
    texts = ["".join(text.itertext()) for text in root.findall(f"{SVG}text")]
    dashed = [line for line in root.findall(f"{SVG}line") if line.get("stroke-dasharray") == "6 4"]
    if expected == "line":
        assert len(dashed) == 1
        assert f"Today, {today:%d %b %Y}" in texts
    else:
        assert dashed == []
        assert expected in texts


def test_texts_are_escaped():
    svg = timeline_svg(
        [
            TimelineItem(
                key="item-1", label="<script>alert(1)</script> & co", due=dt.date(2012, 9, 1)
            )
        ],
        today=dt.date(2012, 9, 1),
        title="T <b>",
        description="D",
        today_text="Today",
        month_label=str,
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


@pytest.mark.parametrize(
    ("first", "last", "ticks"),
    [
        (dt.date(2012, 6, 20), dt.date(2012, 9, 5), ["2012-07-01", "2012-08-01", "2012-09-01"]),
        (dt.date(2012, 7, 1), dt.date(2012, 7, 31), ["2012-07-01"]),
        (
            dt.date(2012, 6, 20),
            dt.date(2014, 11, 5),
            ["2012-07-01", "2013-01-01", "2013-07-01", "2014-01-01", "2014-07-01"],
        ),
    ],
)
def test_month_ticks(first, last, ticks):
    assert [tick.isoformat() for tick in month_ticks(first, last)] == ticks


def test_compact_drawing_puts_the_text_on_its_own_line_and_fits_a_phone():
    item = TimelineItem(
        key="item-1",
        label="National-level and community-level consultations with civil society",
        due=dt.date(2012, 9, 30),
        start=dt.date(2012, 8, 1),
        text="due 30 Sep 2012 · Done",
        state="done",
    )
    svg = timeline_svg(
        [item],
        today=dt.date(2012, 9, 15),
        title="T",
        description="D",
        today_text="Today",
        month_label=lambda day: day.strftime("%b %Y"),
        svg_id="compact",
        compact=True,
    )
    root = ET.fromstring(svg)
    assert root.get("width") == "360"
    texts = ["".join(t.itertext()) for t in root.find(f"{SVG}a/{SVG}g").findall(f"{SVG}text")]
    assert texts == [
        "National-level and community-level consultati…",
        "due 30 Sep 2012 · Done",
    ]
    assert all(len(text) <= 46 for text in texts)
