"""Reports carry plan content in the report's language, with the plan's fallback chain.

The test plan's languages are ky, ru, en. The objective has an English and a Russian
title and no Kyrgyz one; the task has all three; indicator I1 has a Russian title. A
Russian report shows the Russian titles; a Kyrgyz report shows the task in Kyrgyz and the
objective in Russian, marked as Russian (PDF ``<span lang="ru">``, Word ``w:lang``).
"""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from nap1325.core.models import Organisation
from nap1325.plans.models import Indicator, Result
from nap1325.reports.content import report_content, report_scope
from nap1325.reports.pdf import report_html
from tests.reports.test_reports import build, docx_text, pdf_text

pytestmark = pytest.mark.django_db

RU_OBJECTIVE = "Участие женщин в обеспечении мира и безопасности"
RU_TASK = "Женщины в секторе безопасности"
KY_TASK = "Коопсуздук секторундагы аялдар"
RU_I1 = "Учителя, обученные по резолюции 1325"
KY_MINISTRY = "Билим берүү жана илим министрлиги"


@pytest.fixture
def translated(report_data):
    r = report_data.r
    objective = Result.objects.get(plan=r.plan, code="1")
    objective.title_ru, objective.title_ky = RU_OBJECTIVE, None
    objective.save()
    Result.objects.filter(plan=r.plan, code="1.1").update(title_ru=RU_TASK, title_ky=KY_TASK)
    Indicator.objects.filter(pk=r.trained.pk).update(title_ru=RU_I1)
    Organisation.objects.filter(pk=r.ministry.pk).update(name_ky=KY_MINISTRY)
    return r


def _content(plan, lang):
    with translation.override(lang):
        return report_content(plan, report_scope(plan, period="2019 Q2"), language=lang)


@pytest.mark.parametrize(
    ("lang", "objective", "objective_lang", "task", "i1", "i1_lang"),
    [
        ("en", "Women's participation in peace and security", "en", "Women in the security sector",
         "Teachers trained on resolution 1325", "en"),
        ("ru", RU_OBJECTIVE, "ru", RU_TASK, RU_I1, "ru"),
        # no Kyrgyz objective or I1 title: the plan's next language, Russian
        ("ky", RU_OBJECTIVE, "ru", KY_TASK, RU_I1, "ru"),
    ],
)  # fmt: skip
def test_report_content_follows_the_plans_chain(
    translated, lang, objective, objective_lang, task, i1, i1_lang
):
    content = _content(translated.plan, lang)
    pillar = content.pillars[0]
    assert (pillar.title, pillar.title.lang) == (objective, objective_lang)
    titles = {part.code: part.title for part in pillar.results}
    assert titles["1.1"] == task
    line = next(line for _pillar, _result, line in content.numeric_lines if line.code == "I1")
    assert (line.title, line.title.lang) == (i1, i1_lang)
    agencies = {name for name, _approved, _periods in content.agencies}
    assert (KY_MINISTRY in agencies) == (lang == "ky")


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_pdf_shows_the_russian_objective(translated, lang):
    text = pdf_text(build(translated.plan, period="2019 Q2", fmt="pdf", lang=lang))
    assert f"1 {RU_OBJECTIVE}" in text
    assert "Women's participation" not in text
    assert (KY_TASK in text) == (lang == "ky")


def test_the_pdfs_html_marks_russian_fallbacks_in_a_kyrgyz_report(translated):
    content = _content(translated.plan, "ky")
    with translation.override("ky"):
        html = report_html(content)
    assert f'<span lang="ru">{RU_OBJECTIVE}</span>' in html
    assert f'<span lang="ru">{RU_I1}</span>' in html
    assert KY_TASK in html and f'lang="ru">{KY_TASK}' not in html
    with translation.override("ru"):
        russian = report_html(_content(translated.plan, "ru"))
    assert RU_OBJECTIVE in russian and '<span lang="ru">' not in russian
    assert f'<span lang="en">{translated.plan.title_en}</span>' in russian


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_word_shows_the_russian_objective_marked_in_kyrgyz(translated, lang):
    data = build(translated.plan, period="2019 Q2", fmt="docx", lang=lang)
    assert f"1 {RU_OBJECTIVE}" in docx_text(data)
    document = Document(io.BytesIO(data))
    marked = {
        run.text
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run._r.rPr is not None and run._r.rPr.find(qn("w:lang")) is not None
    }
    # the plan has only an English title: a fallback in both reports
    assert translated.plan.title_en in marked
    assert (f"1 {RU_OBJECTIVE}" in marked) == (lang == "ky")
    assert f"1.1 {KY_TASK}" not in marked


@pytest.mark.parametrize(
    ("lang", "objective", "i1"),
    [("ru", RU_OBJECTIVE, RU_I1), ("ky", RU_OBJECTIVE, RU_I1), ("en", "Women's", "Teachers")],
)
def test_excel_carries_the_titles_in_the_reports_language(translated, lang, objective, i1):
    book = load_workbook(
        io.BytesIO(build(translated.plan, period="2019 Q2", fmt="xlsx", lang=lang))
    )
    cells = " ".join(
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    )
    assert objective in cells and i1 in cells


@pytest.mark.parametrize(
    "lang, consultations, inputs, undecided, expected",
    [
        ("en", 1, 1, 0, "1 input from 1 consultation; 0 without a disposition yet."),
        ("en", 5, 12, 1, "12 inputs from 5 consultations; 1 without a disposition yet."),
        ("ru", 1, 21, 0, "21 предложение из 1 консультации; без решения об учёте пока: 0."),
        ("ru", 3, 12, 2, "12 предложений из 3 консультаций; без решения об учёте пока: 2."),
        ("ky", 5, 12, 1, "5 консультациядан 12 пикир; алардын 1 боюнча"),
    ],
)
def test_consultation_summary_counts_in_words(lang, consultations, inputs, undecided, expected):
    from django.utils import translation

    from nap1325.reports.content import ConsultationsPart

    part = ConsultationsPart(consultations, inputs, undecided, [], [], [], [])
    with translation.override(lang):
        assert part.summary_text.startswith(expected)
