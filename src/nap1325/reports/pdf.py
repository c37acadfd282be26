"""The national progress report as PDF: an HTML template printed by WeasyPrint.

The template (``reports/report_pdf.html``) carries its own print rules (A4, running
header, page numbers); charts are the SVG of :mod:`nap1325.reports.charts`, embedded as
they are. Text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``), which covers Latin
and Cyrillic; WeasyPrint needs the system's Pango (README, "Reports").
"""

from __future__ import annotations

from typing import IO

from django.template.loader import render_to_string

from nap1325.reports.content import ReportContent


def report_html(content: ReportContent) -> str:
    """The report as one HTML document (call under ``translation.override``)."""
    return render_to_string("reports/report_pdf.html", {"content": content})


def write_pdf(content: ReportContent, out: IO[bytes]) -> None:
    """Write the report of ``content`` to ``out`` as PDF (call under
    ``translation.override(content.language)``)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    HTML(string=report_html(content)).write_pdf(out)
