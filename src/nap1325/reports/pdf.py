"""The national progress report as PDF: an HTML template printed by WeasyPrint.

The template (``reports/report_pdf.html``) carries its own print rules (A4, running
header, page numbers); charts are the SVG of :mod:`nap1325.reports.charts`, embedded as
they are. Text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``), which covers Latin
and Cyrillic; WeasyPrint needs the system's Pango, and HarfBuzz's subsetter to embed the
fonts quickly (README, "Reports").

WeasyPrint builds a box for every element and line of text and keeps them all until the
PDF is written (about 300 MB for the national-scale plan). Python's cyclic garbage
collector would walk that growing heap again and again while nothing in it is garbage, so
:func:`write_pdf` pauses it for the render (a quarter of the render's CPU time; the
process's memory grows by a few MB, see docs/performance.md).

**A large plan's PDF lists the indicators that need follow-up.** Up to
:data:`LIST_ALL_UP_TO` indicators the PDF lists every one, as Word and Excel do. Above,
the tables under each result list only the indicators that are not achieved, on track or
done (at risk, off track, in progress, not done, not reported, not assessable), each
result says how many it leaves out, and the summary says so and where the full list is
(the Excel and Word reports of the same period). Laying out each table row is what takes
WeasyPrint's time (about 8 ms per row); a 125-page list of 1,500 indicators was neither
quick to build (about 20 s) nor to read. docs/decisions.md, "Speed of reports".
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

from django.template.loader import render_to_string

from nap1325.reports.content import IndicatorLine, PillarPart, ReportContent, ResultPart

#: Plans with more indicators than this get a PDF listing only those needing follow-up.
LIST_ALL_UP_TO = 300


@dataclass
class ListedResult:
    """A result as the PDF shows it: the indicator lines it lists and how many it leaves
    out (achieved, on track or done, when the PDF lists only those needing follow-up)."""

    part: ResultPart
    numeric: list[IndicatorLine]
    qualitative: list[IndicatorLine]
    not_listed: int = 0


@dataclass
class Listing:
    """What the PDF's indicator tables list: every indicator (``abridged`` false) or,
    for a large plan, those needing follow-up."""

    abridged: bool
    indicators: int
    listed: int
    pillars: list[tuple[PillarPart, list[ListedResult]]] = field(default_factory=list)


def listing(content: ReportContent, *, list_all: bool | None = None) -> Listing:
    """The indicator lines the PDF lists; ``list_all`` None: every one up to
    :data:`LIST_ALL_UP_TO` indicators, else those not :attr:`~IndicatorLine.on_course`."""
    count = sum(len(r.numeric) + len(r.qualitative) for p in content.pillars for r in p.results)
    abridged = count > LIST_ALL_UP_TO if list_all is None else not list_all
    result = Listing(abridged=abridged, indicators=count, listed=0)
    for pillar in content.pillars:
        results = []
        for part in pillar.results:
            if abridged:
                numeric = [line for line in part.numeric if not line.on_course]
                qualitative = [line for line in part.qualitative if not line.on_course]
            else:
                numeric, qualitative = part.numeric, part.qualitative
            shown = len(numeric) + len(qualitative)
            result.listed += shown
            results.append(
                ListedResult(
                    part=part,
                    numeric=numeric,
                    qualitative=qualitative,
                    not_listed=len(part.numeric) + len(part.qualitative) - shown,
                )
            )
        result.pillars.append((pillar, results))
    return result


def report_html(content: ReportContent, *, list_all: bool | None = None) -> str:
    """The report as one HTML document (call under ``translation.override``);
    ``list_all``: see :func:`listing`."""
    return render_to_string(
        "reports/report_pdf.html",
        {"content": content, "listing": listing(content, list_all=list_all)},
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block, if it was running.

    Reference counting still frees what is no longer used; only the search for cycles
    waits until the block ends. A block inside another (or in another thread) leaves the
    collector as the outer one found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_pdf(content: ReportContent, out: IO[bytes], *, list_all: bool | None = None) -> None:
    """Write the report of ``content`` to ``out`` as PDF (call under
    ``translation.override(content.language)``); ``list_all``: see :func:`listing`."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    html = report_html(content, list_all=list_all)
    with collector_paused():
        HTML(string=html).write_pdf(out)
