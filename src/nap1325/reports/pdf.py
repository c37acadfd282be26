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

"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.template.loader import render_to_string

from nap1325.reports.content import ReportContent


def report_html(content: ReportContent) -> str:
    """The report as one HTML document (call under ``translation.override``)."""
    return render_to_string("reports/report_pdf.html", {"content": content})


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


def write_pdf(content: ReportContent, out: IO[bytes]) -> None:
    """Write the report of ``content`` to ``out`` as PDF (call under
    ``translation.override(content.language)``)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    html = report_html(content)
    with collector_paused():
        HTML(string=html).write_pdf(out)
