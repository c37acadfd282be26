"""Server-side SVG timeline of a work plan: tasks as bars, milestones as diamonds.

A pure function from plain data to an SVG string, like :mod:`nap1325.reports.charts`: no
request, no model, no translation machinery. Every text (title, description, labels, the
month names on the axis, the text at today's line) comes from the caller, already
translated and formatted, and is XML-escaped here.

Layout (units are SVG pixels; the drawing is ``WIDTH`` wide and scrolls sideways on narrow
screens rather than shrinking its text; ``compact=True`` draws a 360-pixel variant for
phones, with each item's text on a line of its own): a date axis on top, then one row per item — its
label on a line of its own at the left edge (so it stays visible on a phone) and under it
the item on the date axis:

* a task with a start date is a bar from start to due; without one, a dot on the due date;
* a milestone is a diamond on its due date;
* to do: outlined; doing: filled; done: filled grey-green with a tick; dropped: dashed
  grey outline;
* overdue (open and past due): red with diagonal hatching and a "!" mark, and the caller's
  text says so in words — colour is never the only signal;
* today is a vertical dashed line with its label, drawn under the rows' texts; when today
  lies outside the dates shown, the label sits at the nearer edge with an arrow.

The page shows a table or list with the same items next to the drawing (screen readers and
print); the drawing never carries information the table lacks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nap1325.reports.charts import BAD, FONT, GRID, INK, MUTED, VALUE, _px, esc

__all__ = ["TimelineItem", "month_ticks", "timeline_svg"]

WIDE_WIDTH = WIDTH = 720
COMPACT_WIDTH = 360
COMPACT_ROW_HEIGHT = 58
COMPACT_LABEL_CHARS = 46
PAD_X = 12
AXIS_HEIGHT = 40
ROW_HEIGHT = 42
DONE = "#3f7d4e"
DROPPED = "#7b8794"
LABEL_CHARS = 92  # characters of "label — text" that fit in WIDTH at 13 px


@dataclass(frozen=True)
class TimelineItem:
    """One work-plan item to draw.

    ``key``: the anchor of the item's row in the accompanying table (``"item-12"``), used
    as the link target; ``label``: the item's title; ``text``: what is written after the
    title (due date, state, "overdue"), already formatted; ``state``: todo / doing / done
    / dropped.
    """

    key: str
    label: str
    due: dt.date
    start: dt.date | None = None
    is_milestone: bool = False
    state: str = "todo"
    is_overdue: bool = False
    text: str = ""


def _months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def month_ticks(first: dt.date, last: dt.date, *, most: int = 8) -> list[dt.date]:
    """First days of months inside ``[first, last]``, every 1, 2, 3, 6 or 12 months so that
    there are at most ``most`` ticks (quarters and years start on January when stepped)."""
    span = _months_between(first, last) + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if span / s <= most), 120)
    index = first.year * 12 + first.month - 1 + (1 if first.day != 1 else 0)
    index += -index % step
    ticks: list[dt.date] = []
    while (tick := dt.date(index // 12, index % 12 + 1, 1)) <= last:
        ticks.append(tick)
        index += step
    return ticks


def _domain(items: Sequence[TimelineItem], today: dt.date) -> tuple[dt.date, dt.date]:
    dates = [item.due for item in items] + [item.start for item in items if item.start]
    if not dates:
        return today - dt.timedelta(days=30), today + dt.timedelta(days=30)
    first, last = min(dates), max(dates)
    span = max((last - first).days, 28)
    # Bring today in when it is near the items (within half the span), so the line shows.
    if first - dt.timedelta(days=span // 2) <= today < first:
        first = today
    if last < today <= last + dt.timedelta(days=span // 2):
        last = today
    margin = dt.timedelta(days=max(span // 20, 3))
    return first - margin, last + margin


def _diamond(x: float, y: float, r: float) -> str:
    return (
        f"{_px(x)},{_px(y - r)} {_px(x + r)},{_px(y)} {_px(x)},{_px(y + r)} {_px(x - r)},{_px(y)}"
    )


def _shape_style(item: TimelineItem, hatch: str) -> tuple[str, str, str]:
    """(fill, stroke, extra attributes) of an item's shape; ``hatch``: the pattern's id."""
    if item.is_overdue:
        return f"url(#{hatch})", BAD, 'stroke-width="2"'
    if item.state == "done":
        return DONE, DONE, 'stroke-width="1.5"'
    if item.state == "dropped":
        return "#ffffff", DROPPED, 'stroke-width="1.5" stroke-dasharray="4 3"'
    if item.state == "doing":
        return VALUE, VALUE, 'stroke-width="1.5"'
    return "#ffffff", VALUE, 'stroke-width="2"'


def timeline_svg(
    items: Sequence[TimelineItem],
    *,
    today: dt.date,
    title: str,
    description: str,
    today_text: str,
    month_label: Callable[[dt.date], str],
    svg_id: str = "work-plan-timeline",
    compact: bool = False,
) -> str:
    """The timeline as an ``<svg>`` string (``WIDTH`` × grows with the number of items).

    ``today_text``: the label of today's line ("Today, 29 Nov 2026"); ``month_label``: the
    text of an axis tick (``date`` → "Jul 2012"). Items are drawn in the order given.
    ``compact``: a phone-sized drawing (``COMPACT_WIDTH``) with the item's text on a second
    line under its title. Several drawings on one page need distinct ``svg_id``.
    """
    WIDTH = COMPACT_WIDTH if compact else WIDE_WIDTH  # noqa: N806 - the drawing's constant
    row_height = COMPACT_ROW_HEIGHT if compact else ROW_HEIGHT
    label_chars = COMPACT_LABEL_CHARS if compact else LABEL_CHARS
    hatch = f"{svg_id}-overdue"
    first, last = _domain(items, today)
    days = max((last - first).days, 1)
    inner = WIDTH - 2 * PAD_X
    height = AXIS_HEIGHT + row_height * max(len(items), 1) + 12

    def x_of(day: dt.date) -> float:
        return PAD_X + inner * (day - first).days / days

    title_id, desc_id = f"{svg_id}-title", f"{svg_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{esc(svg_id)}" class="timeline-chart" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{esc(FONT)}" font-size="13">',
        f'<title id="{title_id}">{esc(title)}</title>',
        f'<desc id="{desc_id}">{esc(description)}</desc>',
        "<defs>"
        f'<pattern id="{esc(hatch)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fbe9e9"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BAD}" stroke-width="2.5"/>'
        "</pattern></defs>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    # Axis: month ticks with grid lines through all rows.
    for tick in month_ticks(first, last):
        x = x_of(tick)
        out.append(f'<line x1="{_px(x)}" y1="22" x2="{_px(x)}" y2="{height - 6}" stroke="{GRID}"/>')
        if x < WIDTH - 70:  # room for the label inside the drawing
            out.append(
                f'<text x="{_px(x + 3)}" y="16" fill="{MUTED}" font-size="12">'
                f"{esc(month_label(tick))}</text>"
            )
    out.append(f'<line x1="{PAD_X}" y1="24" x2="{WIDTH - PAD_X}" y2="24" stroke="{MUTED}"/>')
    # Today's line (or an arrow at the edge when today is outside the dates shown).
    if first <= today <= last:
        x = x_of(today)
        anchor = "end" if x > WIDTH / 2 else "start"
        shift = -4 if anchor == "end" else 4
        out.append(
            f'<line x1="{_px(x)}" y1="24" x2="{_px(x)}" y2="{height - 6}" stroke="{INK}" '
            'stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{_px(x + shift)}" y="34" text-anchor="{anchor}" fill="{INK}" '
            f'font-size="12" font-weight="600">{esc(today_text)}</text>'
        )
    elif today > last:
        out.append(
            f'<text x="{WIDTH - PAD_X}" y="36" text-anchor="end" fill="{INK}" font-size="12" '
            f'font-weight="600">{esc(today_text)} →</text>'
        )
    else:
        out.append(
            f'<text x="{PAD_X}" y="36" fill="{INK}" font-size="12" font-weight="600">'
            f"← {esc(today_text)}</text>"
        )
    # Rows.
    for index, item in enumerate(items):
        top = AXIS_HEIGHT + index * row_height
        mid = top + row_height - 14
        fill, stroke, extra = _shape_style(item, hatch)
        room = label_chars - (len(item.text) + 3 if item.text and not compact else 0)
        room -= 5 if item.is_overdue else 0  # "! " and bold letters
        label = item.label if len(item.label) <= room else item.label[: max(room - 1, 12)] + "…"
        words = f"{label} — {item.text}" if item.text and not compact else label
        out.append(f'<a href="#{esc(item.key)}"><g class="tl-row">')
        out.append(f"<title>{esc(item.label)}{' — ' + esc(item.text) if item.text else ''}</title>")
        decoration = ' text-decoration="line-through"' if item.state == "dropped" else ""
        colour = BAD if item.is_overdue else INK
        weight = ' font-weight="600"' if item.is_overdue else ""
        out.append(
            f'<text x="{PAD_X}" y="{top + 13}" fill="{colour}"{weight}{decoration}>'
            f"{'! ' if item.is_overdue else ''}{esc(words)}</text>"
        )
        if compact and item.text:
            out.append(
                f'<text x="{PAD_X}" y="{top + 28}" fill="{colour if item.is_overdue else MUTED}" '
                f'font-size="12"{weight}>{esc(item.text)}</text>'
            )
        x_due = x_of(item.due)
        if item.is_milestone:
            out.append(
                f'<polygon points="{_diamond(x_due, mid, 8)}" fill="{fill}" stroke="{stroke}" '
                f"{extra}/>"
            )
        elif item.start and item.start < item.due:
            x_start = x_of(item.start)
            width = max(x_due - x_start, 4)
            out.append(
                f'<rect x="{_px(x_start)}" y="{mid - 7}" width="{_px(width)}" height="14" rx="3" '
                f'fill="{fill}" stroke="{stroke}" {extra}/>'
            )
        else:
            out.append(
                f'<circle cx="{_px(x_due)}" cy="{mid}" r="6" fill="{fill}" stroke="{stroke}" '
                f"{extra}/>"
            )
        if item.state == "done":
            out.append(
                f'<path d="M{_px(x_due - 4)} {mid} l3 3 l5 -6" fill="none" stroke="#ffffff" '
                'stroke-width="2"/>'
            )
        if item.is_overdue:
            out.append(
                f'<text x="{_px(x_due + 11)}" y="{mid + 5}" fill="{BAD}" font-weight="700">!</text>'
            )
        out.append("</g></a>")
    out.append("</svg>")
    return "".join(out)
