"""The national progress report as a Word document (python-docx).

Every style is set in DejaVu Sans for the Latin, East Asian and complex-script slots of
``w:rFonts`` (Word picks the slot per character; Cyrillic text in a style whose theme
font lacks it would fall back unpredictably). Charts are the SVG of
:mod:`nap1325.reports.charts`, rasterised to PNG by CairoSVG (Word cannot show SVG
reliably). Figures are formatted as on the pages (:mod:`nap1325.core.templatetags.nap1325`).
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import IO, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from nap1325.core.content import LocalisedText
from nap1325.core.templatetags.nap1325 import money, number, percent
from nap1325.reports.content import ReportContent

FONT = "DejaVu Sans"
INK = RGBColor(0x1F, 0x29, 0x33)
ACCENT = RGBColor(0x1D, 0x4E, 0x89)
MUTED = RGBColor(0x52, 0x60, 0x6D)
HEADER_FILL = "EEF2F6"
STATUS_COLOURS = {
    "achieved": RGBColor(0x1E, 0x6B, 0x3A),
    "done": RGBColor(0x1E, 0x6B, 0x3A),
    "on_track": RGBColor(0x1E, 0x6B, 0x3A),
    "at_risk": RGBColor(0x8A, 0x5A, 0x00),
    "in_progress": RGBColor(0x8A, 0x5A, 0x00),
    "off_track": RGBColor(0xA1, 0x2A, 0x2A),
    "not_done": RGBColor(0xA1, 0x2A, 0x2A),
}


def _set_font(style_or_run: Any, size: float | None = None) -> None:
    """DejaVu Sans in every ``w:rFonts`` slot (ascii, hAnsi, eastAsia, cs)."""
    font = style_or_run.font
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    element = style_or_run.element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]


def _styles(document: Any) -> None:
    styles = document.styles
    _set_font(styles["Normal"], 9.5)
    styles["Normal"].font.color.rgb = INK
    styles["Normal"].paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 10.5)):
        style = styles[name]
        _set_font(style, size)
        style.font.color.rgb = ACCENT if name != "Heading 3" else INK
        style.font.bold = True
        style.paragraph_format.space_before = Pt(12 if name != "Heading 3" else 8)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    for name in ("Table Grid", "List Bullet"):
        _set_font(styles[name])


def _mark_language(run: Any, text: Any) -> None:
    """Give ``run`` the language of ``text`` when it is a fallback (``w:lang``).

    Plan content missing in the report's language is printed in the plan's next language
    (:func:`nap1325.core.content.content`); Word then checks its spelling and reads it
    aloud in that language, as the PDF's ``<span lang>`` does.
    """
    if isinstance(text, LocalisedText) and text.is_fallback and text.text:
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), text.lang)
        run._r.get_or_add_rPr().append(language)


def _add_text(paragraph: Any, text: Any) -> Any:
    """A run of ``text`` in ``paragraph``, marked with its language when a fallback."""
    run = paragraph.add_run(str(text))
    _mark_language(run, text)
    return run


def _coded(code: str, title: Any) -> Any:
    """``"<code> <title>"``, keeping the title's language when it is a LocalisedText."""
    if isinstance(title, LocalisedText):
        return LocalisedText(f"{code} {title.text}", title.lang, title.is_fallback)
    return f"{code} {title}"


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(
    document: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    numeric: Sequence[int] = (),
    widths: Sequence[float] | None = None,
    status_column: int | None = None,
) -> Any:
    """A table with a shaded, repeated header row; ``rows`` cells are text, or
    ``(text, status key)`` in ``status_column``; columns in ``numeric`` align right.

    The header row goes through python-docx; the body rows are built as WordprocessingML
    directly (:func:`_body_row`): the same elements python-docx would make (cell width,
    right alignment, an 8 pt run, bold and coloured status), without its per-cell
    look-ups, which made a national plan's 1,500 indicator rows the bulk of the time.
    """
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    _repeat_header(head)
    for index, (cell, label) in enumerate(zip(head.cells, headers, strict=True)):
        _shade(cell, HEADER_FILL)
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(label)
        run.bold = True
        run.font.size = Pt(8)
        if index in numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        for cell, width in zip(head.cells, widths, strict=False):
            cell.width = Mm(width)
    # each body cell gets the width its header cell has (python-docx's default or ``widths``)
    cell_widths = [
        (tc.tcPr.find(qn("w:tcW")).get(qn("w:w")), tc.tcPr.find(qn("w:tcW")).get(qn("w:type")))
        for tc in head._tr.tc_lst
    ]
    tbl = table._tbl
    right = set(numeric)
    for values in rows:
        _body_row(tbl, values, cell_widths, right, status_column)
    document.add_paragraph()
    return table


_CONTROL = frozenset("\t\n\r")


def _body_row(
    tbl: Any,
    values: Sequence[Any],
    cell_widths: Sequence[tuple[str, str]],
    right: set[int],
    status_column: int | None,
) -> None:
    """Append one ``w:tr`` to ``tbl``: per value a cell of the given width holding one
    paragraph (right-aligned for columns in ``right``) with one 8 pt run."""
    from docx.text.paragraph import Paragraph
    from lxml import etree

    sub = etree.SubElement
    tr = sub(tbl, _W_TR)
    for index, value in enumerate(values):
        colour = None
        if index == status_column and isinstance(value, tuple):
            text, key = value
            colour = STATUS_COLOURS.get(key)
        else:
            text = str(value)
        tc = sub(tr, _W_TC)
        width, kind = cell_widths[index]
        sub(sub(tc, _W_TCPR), _W_TCW, {_W_TYPE: kind, _W_W: width})
        p = sub(tc, _W_P)
        if index in right:
            sub(sub(p, _W_PPR), _W_JC, {_W_VAL: "right"})
        if any(ch in _CONTROL for ch in text):  # tabs and line breaks: python-docx's run
            run = Paragraph(p, None).add_run(text)
            run.font.size = Pt(8)
            if colour is not None:
                run.font.color.rgb = colour
                run.bold = True
            _mark_language(run, value)
            continue
        r = sub(p, _W_R)
        properties = sub(r, _W_RPR)
        if colour is not None:
            sub(properties, _W_B)
            sub(properties, _W_COLOR, {_W_VAL: str(colour)})
        sub(properties, _W_SZ, {_W_VAL: "16"})
        if isinstance(value, LocalisedText) and value.is_fallback and value.text:
            sub(properties, _W_LANG, {_W_VAL: value.lang})  # as _mark_language does
        t = sub(r, _W_T)
        t.text = text
        if text != text.strip():
            t.set(_XML_SPACE, "preserve")


_W_TR, _W_TC, _W_TCPR, _W_TCW = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:tcW")
_W_P, _W_PPR, _W_JC, _W_R, _W_RPR = qn("w:p"), qn("w:pPr"), qn("w:jc"), qn("w:r"), qn("w:rPr")
_W_B, _W_COLOR, _W_SZ, _W_T = qn("w:b"), qn("w:color"), qn("w:sz"), qn("w:t")
_W_LANG = qn("w:lang")
_W_W, _W_TYPE, _W_VAL = qn("w:w"), qn("w:type"), qn("w:val")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _chart(document: Any, title: str, svg: str) -> None:
    import cairosvg

    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=1260)
    paragraph = document.add_paragraph()
    run = paragraph.add_run(title)
    run.bold = True
    document.add_picture(BytesIO(png), width=Mm(120))


def write_docx(content: ReportContent, out: IO[bytes]) -> None:
    """Write the report of ``content`` to ``out`` as .docx (call under
    ``translation.override(content.language)``)."""
    document = Document()
    _styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    section.top_margin = section.bottom_margin = Mm(20)
    header = section.header.paragraphs[0]
    header.text = f"{content.plan_title} · {_('National progress report')} · {content.scope.label}"
    for run in header.runs:
        run.font.size = Pt(7.5)
        run.font.color.rgb = MUTED
    properties = document.core_properties
    properties.title = f"{_('National progress report')}: {content.scope.label}"
    properties.subject = content.plan_title
    properties.author = content.coordinating_body or "NAP 1325 Platform"
    properties.language = content.language

    kicker = document.add_paragraph()
    run = kicker.add_run(_("National Action Plan on Women, Peace and Security").upper())
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED
    document.add_paragraph(f"{_('National progress report')}: {content.scope.label}", style="Title")
    plan_line = document.add_paragraph()
    _add_text(plan_line, content.plan_title).font.size = Pt(12)
    scope_label = _("Year") if content.scope.year else _("Reporting period")
    facts = [
        (
            scope_label,
            f"{content.scope.label} ({date_format(content.scope.start, 'SHORT_DATE_FORMAT')}"
            f" – {date_format(content.scope.until, 'SHORT_DATE_FORMAT')})",
        ),
        (
            _("Plan period"),
            f"{date_format(content.plan_start, 'SHORT_DATE_FORMAT')} – "
            f"{date_format(content.plan_end, 'SHORT_DATE_FORMAT')}",
        ),
        (_("Coordinating body"), content.coordinating_body or "—"),
        (
            _("Generated"),
            f"{content.generated_at:%Y-%m-%d %H:%M} UTC · {_('approved data only')}",
        ),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(1)
        label_run = paragraph.add_run(f"{label}: ")
        label_run.font.color.rgb = MUTED
        _add_text(paragraph, value)

    document.add_heading(_("Summary"), level=1)
    _table(document, [_("Figure"), _("Value")], content.summary_lines, widths=(50, 124))
    for title, svg in content.charts:
        _chart(document, title, svg)
    if content.pillars:
        _table(
            document,
            [
                _("Pillar"),
                _("Numbers and percentages"),
                _("Stages and yes/no"),
                _("Average achievement"),
                _("Average progress"),
            ],
            [
                (
                    _coded(pillar.code, pillar.pillar or pillar.title),
                    pillar.numeric_text,
                    pillar.qualitative_text,
                    percent(pillar.mean_achievement),
                    pillar.progress_text,
                )
                for pillar in content.pillars
            ],
            numeric=(3, 4),
        )

    if content.budget is not None:
        budget = content.budget
        document.add_heading(_("Budget"), level=1)
        spent = money if budget.spent_reported else (lambda _value: "—")
        _table(
            document,
            [
                _("Funding source"),
                f"{_('Planned')} ({budget.currency})",
                f"{_('Spent')} ({budget.currency})",
            ],
            [
                *[(label, money(planned), spent(amount)) for label, planned, amount in budget.rows],
                (_("Total"), money(budget.planned), spent(budget.spent)),
            ],
            numeric=(1, 2),
        )
        document.add_paragraph(
            f"{_('Funding gap (unfunded lines)')}: {money(budget.gap or 0)} {budget.currency}"
        )

    for pillar in content.pillars:
        heading = document.add_heading(level=1)
        _add_text(heading, _coded(pillar.code, pillar.title))
        heading.paragraph_format.page_break_before = True
        if pillar.pillar:
            tag = heading.add_run(f"  ({pillar.pillar})")
            tag.font.size = Pt(9)
            tag.font.color.rgb = MUTED
        for label, value in (
            (_("Numbers and percentages"), pillar.numeric_text),
            (_("Stages and yes/no"), pillar.qualitative_text),
            (
                _("Actions"),
                f"{pillar.progress_text} {_('average progress')} · {pillar.actions_text}",
            ),
            (_("Action status"), pillar.action_status_text),
            (
                _("Budget"),
                f"{_('Planned')}: "
                + (
                    "; ".join(f"{money(amount)} {cur}" for cur, amount in pillar.planned.items())
                    or "—"
                )
                + f" · {_('Spent')}: {money(pillar.spent)} {content.currency}",
            ),
        ):
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(1)
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        for result in pillar.results:
            if result.depth == 0 and not (result.numeric or result.qualitative):
                continue
            _add_text(document.add_heading(level=2), _coded(result.code, result.title))
            if result.depth > 0:
                note = document.add_paragraph()
                run = note.add_run(
                    f"{_('Average progress')}: {result.progress_text} · {result.actions_text}"
                )
                run.font.color.rgb = MUTED
            if result.numeric:
                _table(
                    document,
                    [
                        _("Indicator"),
                        _("Baseline"),
                        _("Target"),
                        _("Value to date"),
                        _("Women"),
                        _("Achievement"),
                        _("Status"),
                    ],
                    [
                        (
                            _coded(line.code, line.title),
                            number(line.baseline),
                            number(line.target),
                            line.current_text,
                            line.women_text if line.has_sex else "—",
                            line.achievement_text,
                            (line.status_text, line.status),
                        )
                        for line in result.numeric
                    ],
                    numeric=(1, 2, 3, 4, 5),
                    widths=(62, 16, 16, 24, 20, 20, 16),
                    status_column=6,
                )
            if result.qualitative:
                document.add_heading(_("Stage and yes/no indicators"), level=3)
                _table(
                    document,
                    [_("Indicator"), _("Reached"), _("Status")],
                    [
                        (
                            _coded(line.code, line.title),
                            line.current_text,
                            (line.status_text, line.status),
                        )
                        for line in result.qualitative
                    ],
                    widths=(100, 44, 30),
                    status_column=2,
                )

    _participation(document, content)
    heading = document.add_heading(_("Methodology and data completeness"), level=1)
    heading.paragraph_format.page_break_before = True
    for note in content.methodology:
        document.add_paragraph(note, style="List Bullet")
    if content.agencies:
        _table(
            document,
            [_("Agency"), _("Approved reports")],
            [(name, f"{approved} / {periods}") for name, approved, periods in content.agencies],
            numeric=(1,),
            widths=(140, 34),
        )
    document.save(out)


def _participation(document: Any, content: ReportContent) -> None:
    """The sections "Consultations and dispositions" and "Civil society's view"."""
    part = content.consultations
    if part is not None:
        heading = document.add_heading(_("Consultations and dispositions"), level=1)
        heading.paragraph_format.page_break_before = True
        document.add_paragraph(
            " ".join(t for t in (part.summary_text, part.illustrative_note) if t)
        )
        if part.inputs:
            for title, rows in (
                (_("Disposition"), part.by_disposition),
                (_("Pillar"), part.by_pillar),
                (_("Group raising it"), part.by_group),
            ):
                _table(
                    document,
                    [title, _("Inputs")],
                    [(label, str(count)) for label, count in rows],
                    numeric=(1,),
                    widths=(120, 30),
                )
            document.add_heading(_("Inputs and what became of them"), level=2)
            _table(
                document,
                [_("Input"), _("Disposition"), _("Actions and reasons")],
                [
                    (
                        f"{line.text}\n{line.consultation}, "
                        f"{date_format(line.date, 'SHORT_DATE_FORMAT')}"
                        + (f" · {line.group}" if line.group else "")
                        + (f" · {line.pillar}" if line.pillar else "")
                        + (f" ({_('illustrative')})" if line.illustrative else ""),
                        line.disposition_text,
                        "\n".join(
                            f"{action} ({label}): {reason}" if action else reason
                            for action, label, reason in line.decisions
                        )
                        or "—",
                    )
                    for line in part.lines
                ],
                widths=(70, 30, 74),
            )
    view = content.civil_society
    if view is not None:
        heading = document.add_heading(_("Civil society's view"), level=1)
        heading.paragraph_format.page_break_before = True
        document.add_paragraph(
            " ".join(t for t in (view.summary_text, view.illustrative_note) if t)
        )
        if view.lines:
            _table(
                document,
                [
                    _("Element"),
                    _("Organisation"),
                    _("Civil society's rating"),
                    _("Government's approved status"),
                    _("Narrative"),
                ],
                [
                    (
                        f"{line.element} ({line.element_kind}, {line.period})",
                        line.organisation
                        + (f" ({_('illustrative')})" if line.illustrative else ""),
                        line.rating_text,
                        "\n".join(
                            t
                            for t in (
                                line.government_text,
                                line.government_source,
                                f"⚑ {line.flag_text}" if line.flag else "",
                            )
                            if t
                        ),
                        line.narrative,
                    )
                    for line in view.lines
                ],
                widths=(40, 28, 24, 40, 42),
            )


__all__ = ["write_docx"]
