"""Server-side SVG charts: pure functions from plain data to an SVG string (DESIGN.md §7).

The same functions feed web pages, PDF and Word reports, so they take no request, no
model and no translation machinery: every text (title, description, labels, the text
written at a bar) is given already translated and formatted by the caller, and every text
is XML-escaped here. Numbers are :class:`~decimal.Decimal`; they only become floats to
place pixels, never to compute a value a reader sees.

Each chart is ``<svg role="img" aria-labelledby="…">`` with a ``<title>`` and a ``<desc>``,
scales with its container (``viewBox``, ``width="100%"``), has no script and no external
resource, and distinguishes its series by shape as well as by colour (the target is a
dashed line with diamond markers), so it stays readable in black-and-white print. Pages
show an accessible table beside every chart; the chart never carries data the table lacks.

Functions:

* :func:`time_series_chart` — one bar per period and an optional target line;
* :func:`progress_bars` — horizontal bars on a 0–100 % scale (progress, achievement,
  shares); over 100 % is capped visually and marked, the text keeps the true number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape as _xml_escape

__all__ = ["Bar", "Point", "esc", "nice_ticks", "progress_bars", "time_series_chart"]

INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9e2ec"
VALUE = "#1d4e89"
TARGET = "#8a5a00"
BAD = "#a12a2a"
FONT = "DejaVu Sans, Segoe UI, system-ui, sans-serif"
_HUNDRED = Decimal(100)


def esc(text: object) -> str:
    """``text`` escaped for SVG text and attribute values (``& < > " '``)."""
    return _xml_escape(str(text), {'"': "&quot;", "'": "&#39;"})


def _px(value: float) -> str:
    """A pixel coordinate with at most one decimal (``12.0`` → ``"12"``)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


@dataclass(frozen=True)
class Point:
    """One period of a time series.

    ``label``: the x-axis label ("2024 Q2"); ``value``: the bar's height, ``None`` when
    nothing is drawn (not reported); ``text``: what is written at the bar ("95",
    "9.1 %", "not reported"), already formatted by the caller.
    """

    label: str
    value: Decimal | None
    text: str


@dataclass(frozen=True)
class Bar:
    """One row of :func:`progress_bars`: ``value`` in percent (``None``: no bar)."""

    label: str
    value: Decimal | None
    text: str


def nice_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    """Evenly spaced round axis values (steps of 1, 2 or 5 × 10ⁿ) covering ``low``..``high``.

    ``nice_ticks(Decimal(0), Decimal(95))`` → ``[0, 20, 40, 60, 80, 100]``. ``low`` must
    not exceed ``high``; an empty range (all values 0) is drawn as 0 to 1.
    """
    if high < low:
        raise ValueError("high must not be below low")
    if high == low:
        high = low + (abs(low) or Decimal(1))
    span = high - low
    raw = span / Decimal(max(count, 1))
    exponent = raw.adjusted()
    magnitude = Decimal(1).scaleb(exponent)
    step = magnitude * 10
    for factor in (1, 2, 5, 10):
        candidate = magnitude * factor
        if candidate >= raw:
            step = candidate
            break
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [start]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    if len(ticks) == 1:
        ticks.append(start + step)
    return [_fixed(tick) for tick in ticks]


def _fixed(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (``2E+1`` → ``20``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    """The opening tag, title and description; the chart keeps at least 60 % of its drawn
    size (a narrow screen scrolls it sideways rather than shrinking the text away)."""
    cid = esc(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'style="min-width:{width * 3 // 5}px;max-width:{width * 5 // 4}px" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{FONT}" font-size="16">',
        f'<title id="{cid}-title">{esc(title)}</title>',
        f'<desc id="{cid}-desc">{esc(description)}</desc>',
    ]


#: Text drawn over bars and lines gets a white outline so it stays readable on both.
HALO = 'paint-order="stroke" stroke="#fff" stroke-width="4" stroke-linejoin="round"'


def time_series_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    target: Sequence[Decimal | None] = (),
    value_label: str = "",
    target_label: str = "",
    tick_text: Callable[[Decimal], str] = _plain,
) -> str:
    """A bar per period and, if given, a dashed target line (one target per point).

    ``target`` is aligned with ``points`` (``None`` leaves a gap). ``value_label`` and
    ``target_label`` name the two series in the legend; ``tick_text`` formats the y-axis
    values (default: plain digits). Periods without a value show no bar and their
    ``text`` (e.g. "not reported") at the axis, never a zero bar. Returns the SVG markup.
    Raises :class:`ValueError` if ``target`` is given with a different length.
    """
    if target and len(target) != len(points):
        raise ValueError("give one target per point")
    slot_width = 92
    left, right, top = 64, 16, 44
    width = left + right + slot_width * max(len(points), 5)
    longest = max((len(point.label) for point in points), default=0)
    rotate = longest * 8.5 > slot_width - 6
    bottom = 40 + int(longest * 6.5) if rotate else 44
    plot_height = 240
    height = top + plot_height + bottom
    values = [point.value for point in points if point.value is not None]
    targets = [value for value in target if value is not None]
    everything = values + targets
    low = min([Decimal(0), *everything])
    high = max([Decimal(0), *everything])
    ticks = nice_ticks(low, high)
    axis_low, axis_high = ticks[0], ticks[-1]
    scale_span = float(axis_high - axis_low) or 1.0
    plot_width = width - left - right

    def y_of(value: Decimal) -> float:
        return top + plot_height * (1 - float(value - axis_low) / scale_span)

    parts = _svg_open(chart_id, width, height, title, description)
    # legend
    legend_x = left
    if value_label:
        parts.append(
            f'<rect x="{legend_x}" y="10" width="14" height="14" fill="{VALUE}"/>'
            f'<text x="{legend_x + 20}" y="22" fill="{INK}">{esc(value_label)}</text>'
        )
        legend_x += 44 + 9 * len(value_label)
    if targets and target_label:
        parts.append(
            f'<line x1="{legend_x}" y1="17" x2="{legend_x + 24}" y2="17" stroke="{TARGET}" '
            f'stroke-width="3" stroke-dasharray="6 4"/>'
            f'<path d="M{legend_x + 12} 12 l5 5 l-5 5 l-5 -5 z" fill="{TARGET}"/>'
            f'<text x="{legend_x + 30}" y="22" fill="{INK}">{esc(target_label)}</text>'
        )
    # grid and y axis
    for tick in ticks:
        y = _px(y_of(tick))
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="{GRID}"/>'
            f'<text x="{left - 8}" y="{y}" dy="5" text-anchor="end" fill="{MUTED}" '
            f'font-size="14">{esc(tick_text(tick))}</text>'
        )
    zero_y = y_of(Decimal(0))
    parts.append(
        f'<line x1="{left}" y1="{_px(zero_y)}" x2="{width - right}" y2="{_px(zero_y)}" '
        f'stroke="{MUTED}"/>'
    )
    count = max(len(points), 1)
    slot = plot_width / count
    bar_width = min(slot * 0.6, 64)
    centres = [left + slot * (index + 0.5) for index in range(len(points))]
    labels: list[str] = []  # drawn last, above the target line
    for centre, point in zip(centres, points, strict=True):
        label_y = top + plot_height + 20
        if rotate:
            parts.append(
                f'<text x="{_px(centre)}" y="{_px(label_y)}" text-anchor="end" fill="{INK}" '
                f'font-size="14" transform="rotate(-40 {_px(centre)} {_px(label_y)})">'
                f"{esc(point.label)}</text>"
            )
        else:
            parts.append(
                f'<text x="{_px(centre)}" y="{_px(label_y)}" text-anchor="middle" '
                f'fill="{INK}" font-size="14">{esc(point.label)}</text>'
            )
        if point.value is None:
            # written upwards in the empty slot, so neighbouring gaps never overlap
            x, y0 = _px(centre + 4), _px(zero_y - 8)
            labels.append(
                f'<text x="{x}" y="{y0}" text-anchor="start" fill="{MUTED}" font-size="12" '
                f'font-style="italic" transform="rotate(-90 {x} {y0})" {HALO}>'
                f"{esc(point.text)}</text>"
            )
            continue
        y = y_of(point.value)
        bar_top, bar_bottom = min(y, zero_y), max(y, zero_y)
        parts.append(
            f'<rect x="{_px(centre - bar_width / 2)}" y="{_px(bar_top)}" '
            f'width="{_px(bar_width)}" height="{_px(max(bar_bottom - bar_top, 1))}" '
            f'fill="{VALUE}"><title>{esc(point.label)}: {esc(point.text)}</title></rect>'
        )
        text_y = bar_top - 6 if point.value >= 0 else bar_bottom + 16
        labels.append(
            f'<text x="{_px(centre)}" y="{_px(text_y)}" text-anchor="middle" fill="{INK}" '
            f'font-size="14" font-weight="700" {HALO}>{esc(point.text)}</text>'
        )
    if targets:
        segments: list[str] = []
        markers: list[str] = []
        run: list[str] = []
        for centre, value in zip(centres, target, strict=True):
            if value is None:
                if len(run) > 1:
                    segments.append("M" + " L".join(run))
                run = []
                continue
            y = _px(y_of(value))
            run.append(f"{_px(centre)} {y}")
            markers.append(f"M{_px(centre)} {_px(y_of(value) - 6)} l6 6 l-6 6 l-6 -6 z")
        if len(run) > 1:
            segments.append("M" + " L".join(run))
        if segments:
            parts.append(
                f'<path d="{" ".join(segments)}" fill="none" stroke="{TARGET}" '
                f'stroke-width="3" stroke-dasharray="6 4"/>'
            )
        parts.append(f'<path d="{" ".join(markers)}" fill="{TARGET}"/>')
    parts.extend(labels)
    parts.append("</svg>")
    return "".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def progress_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    label_limit: int = 46,
) -> str:
    """Horizontal bars on a 0–100 % scale, one per row, label above its bar.

    Values above 100 are drawn to 100 and marked with an arrow (the ``text`` keeps the
    true number: "125 %"); values below 0 draw no bar, in the "worse" colour, with their
    text. ``None`` draws no bar, only the text. Labels longer than ``label_limit``
    characters are shortened with "…" (the full label stays in the row's tooltip).
    """
    width, left, right = 420, 6, 104
    row_height = 46
    height = 16 + row_height * max(len(bars), 1)
    plot_width = width - left - right
    parts = _svg_open(chart_id, width, height, title, description)
    for index, bar in enumerate(bars):
        y = 8 + row_height * index
        parts.append(f"<g><title>{esc(bar.label)}: {esc(bar.text)}</title>")
        parts.append(
            f'<text x="{left}" y="{y + 14}" fill="{INK}" font-size="15">'
            f"{esc(_shorten(bar.label, label_limit))}</text>"
        )
        track_y = y + 22
        parts.append(
            f'<rect x="{left}" y="{track_y}" width="{plot_width}" height="14" '
            f'fill="#eef2f6" stroke="{GRID}"/>'
        )
        colour = VALUE
        if bar.value is not None and bar.value < 0:
            colour = BAD
        if bar.value is not None and bar.value > 0:
            shown = min(bar.value, _HUNDRED)
            bar_width = plot_width * float(shown) / 100
            parts.append(
                f'<rect x="{left}" y="{track_y}" width="{_px(bar_width)}" height="14" '
                f'fill="{colour}"/>'
            )
            if bar.value > _HUNDRED:
                tip = left + plot_width
                parts.append(f'<path d="M{tip - 2} {track_y - 3} l8 10 l-8 10 z" fill="{INK}"/>')
        parts.append(
            f'<text x="{width - right + 10}" y="{track_y + 12}" fill="{colour}" '
            f'font-size="15" font-weight="700">{esc(bar.text)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
