"""The PDF writer's speed measures that tests can pin without timing anything."""

from __future__ import annotations

import gc

import pytest
from django.utils import translation

from nap1325.reports import pdf
from nap1325.reports.content import report_content, report_scope
from nap1325.reports.pdf import collector_paused, listing
from tests.reports.test_reports import build, pdf_text


def test_the_collector_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it paused and leaves it so
    assert gc.isenabled()


def test_the_collector_is_restored_after_an_error():
    try:
        with collector_paused():
            raise ValueError("a writer failed")
    except ValueError:
        pass
    assert gc.isenabled()


# --------------------------------------------------------------------------- large plans


def _content(plan, period, lang="en"):
    with translation.override(lang):
        return report_content(plan, report_scope(plan, period=period), language=lang)


@pytest.mark.django_db
def test_a_small_plan_lists_every_indicator(report_data):
    shown = listing(_content(report_data.r.plan, "2019 Q2"))
    assert not shown.abridged
    codes = [
        line.code
        for _pillar, results in shown.pillars
        for result in results
        for line in [*result.numeric, *result.qualitative]
    ]
    assert codes == ["I1", "I2", "I3", "I4"]
    assert all(result.not_listed == 0 for _p, results in shown.pillars for result in results)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period", "listed"),
    [
        ("2019 Q1", ["I1", "I2", "I3", "I4"]),  # I1 at risk, I2 and I3 not reported yet
        ("2019 Q2", ["I4"]),  # I1 and I2 on track, I3 done; I4 (stage) in progress
    ],
)
def test_above_the_threshold_only_indicators_needing_follow_up_are_listed(
    report_data, monkeypatch, period, listed
):
    monkeypatch.setattr(pdf, "LIST_ALL_UP_TO", 3)
    content = _content(report_data.r.plan, period)
    shown = listing(content)
    assert shown.abridged and (shown.indicators, shown.listed) == (4, len(listed))
    results = [result for _p, results in shown.pillars for result in results]
    assert [line.code for r in results for line in [*r.numeric, *r.qualitative]] == listed
    assert sum(r.not_listed for r in results) == 4 - len(listed)
    assert not listing(content, list_all=True).abridged


@pytest.mark.django_db
def test_the_abridged_pdf_says_what_it_leaves_out_and_where_it_is(report_data, monkeypatch):
    monkeypatch.setattr(pdf, "LIST_ALL_UP_TO", 3)
    plan = report_data.r.plan
    text = pdf_text(build(plan, period="2019 Q2", fmt="pdf"))
    assert "I4" in text and "I1 Teachers trained" not in text
    assert "This plan has 4 indicators." in text
    assert "list only the 1 indicator that needs follow-up" in text
    assert "The Excel and Word reports of the same period list every indicator." in text
    assert "are not listed here (see the Excel or Word report)" in text
    russian = pdf_text(build(plan, period="2019 Q2", fmt="pdf", lang="ru"))
    assert "Все индикаторы приведены в отчётах Excel и Word за тот же период." in russian
