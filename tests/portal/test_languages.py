"""The public portal shows plan content in the reader's language, with the plan's chain.

The test plan's languages are ky, ru, en (tests/factories.py). Every public page is read
in Kyrgyz: texts that have a Kyrgyz column show it; texts without one fall back to Russian
(the plan's second language) inside ``lang="ru"``; organisation names follow the
platform's chain (ky → en → ru). Query budgets do not depend on the language.
"""

from __future__ import annotations

import re

import pytest

from nap1325.coordination.models import Event, WorkingGroup
from nap1325.core.models import Organisation
from nap1325.plans.models import Action, Indicator, Plan, Result
from tests.portal.test_pages import BUDGETS
from tests.portal.test_visibility import public_urls

pytestmark = pytest.mark.django_db

KY_PLAN_TITLE = "1325 резолюциясы боюнча улуттук иш-аракеттер планы"
KY_OBJECTIVE = "Аялдардын тынчтыкка катышуусу"
RU_TASK = "Женщины в секторе безопасности"  # no Kyrgyz title: Russian fallback
KY_ACTION = "Мугалимдерди 1325 резолюциясы боюнча окутуу"
RU_INDICATOR = "Учителя, обученные по резолюции 1325"  # no Kyrgyz title
KY_UNIT = "адам"
RU_VERIFICATION = "Отчёты министерства"  # no Kyrgyz text
KY_EVENT = "1325 резолюциясы боюнча ачык семинар"
RU_GROUP = "Межведомственная рабочая группа"  # no Kyrgyz name
KY_MINISTRY = "Билим берүү министрлиги"
KY_LEAD = "Ички иштер министрлиги"


@pytest.fixture
def translated(portal, lead_ministry):
    """Kyrgyz and Russian texts on the public items of the portal's plan."""
    Plan.objects.filter(pk=portal.plan.pk).update(title_ky=KY_PLAN_TITLE)
    Result.objects.filter(pk=portal.objective.pk).update(title_ky=KY_OBJECTIVE)
    Result.objects.filter(pk=portal.task.pk).update(title_ru=RU_TASK, title_ky=None)
    Action.objects.filter(pk=portal.action.pk).update(title_ky=KY_ACTION)
    Indicator.objects.filter(pk=portal.indicator.pk).update(
        title_ru=RU_INDICATOR,
        unit_ky=KY_UNIT,
        means_of_verification_en="Ministry reports",
        means_of_verification_ru=RU_VERIFICATION,
    )
    Event.objects.filter(pk=portal.event.pk).update(title_ky=KY_EVENT)
    WorkingGroup.objects.filter(plan=portal.plan).update(name_ru=RU_GROUP)
    # the ministry has an acronym (MoE), which stays one string; the lead has none
    Organisation.objects.filter(pk=portal.ministry.pk).update(name_ky=KY_MINISTRY)
    Organisation.objects.filter(pk=lead_ministry.pk).update(acronym="", name_ky=KY_LEAD)
    return portal


def _ky(url: str) -> str:
    return re.sub(r"^/en/", "/ky/", url)


#: page → Kyrgyz texts shown as they are, Russian fallbacks shown in lang="ru"
EXPECTED = {
    "index": ([KY_PLAN_TITLE], []),
    "plan": ([KY_PLAN_TITLE, KY_LEAD], [RU_GROUP]),
    "framework": ([KY_PLAN_TITLE, KY_OBJECTIVE, KY_ACTION], [RU_TASK, RU_INDICATOR]),
    "action": ([KY_ACTION, KY_OBJECTIVE, KY_MINISTRY], [RU_TASK, RU_INDICATOR]),
    "indicator": ([KY_UNIT, KY_ACTION, KY_OBJECTIVE], [RU_INDICATOR, RU_VERIFICATION, RU_TASK]),
    "group": ([KY_EVENT, KY_LEAD, KY_MINISTRY], [RU_GROUP]),
    "event": ([KY_EVENT], []),
    "changes": ([KY_EVENT, KY_MINISTRY], []),
}


@pytest.mark.parametrize("page", list(EXPECTED))
def test_a_kyrgyz_reader_sees_kyrgyz_text_and_marked_russian_fallbacks(translated, client, page):
    response = client.get(_ky(public_urls(translated)[page]))
    assert response.status_code == 200
    html = response.content.decode()
    kyrgyz, russian = EXPECTED[page]
    for text in kyrgyz:
        assert text in html, text
        assert f'lang="ru">{text}' not in html
    for text in russian:
        assert re.search(rf'<(span|div) lang="ru">(<p>)?{re.escape(text)}', html), text
    # no English text is shown where a Kyrgyz or Russian one exists
    for english in ("Women in the security sector", "Train teachers on resolution 1325"):
        assert english not in html


def test_the_action_chart_labels_are_in_the_readers_language(translated, client):
    html = client.get(_ky(public_urls(translated)["action"])).content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert f"I1 {RU_INDICATOR}" in chart


def test_an_english_reader_keeps_the_english_texts(translated, client):
    html = client.get(public_urls(translated)["framework"]).content.decode()
    assert "Women in the security sector" in html
    assert "Train teachers on resolution 1325" in html
    assert not re.search(r'<(span|div) lang="', html)


@pytest.mark.parametrize("page", list(EXPECTED))
def test_query_budgets_hold_in_kyrgyz(translated, client, django_assert_max_num_queries, page):
    url = _ky(public_urls(translated)[page])
    client.get(url)  # stored assessments of today are written on the first read
    with django_assert_max_num_queries(BUDGETS[page]):
        assert client.get(url).status_code == 200


def test_the_open_data_page_names_the_plan_in_the_readers_language(translated, client):
    from django.urls import reverse

    with_prefix = _ky(reverse("open_data:index", args=[translated.plan.slug]))
    html = client.get(with_prefix).content.decode()
    assert KY_PLAN_TITLE in html


def test_the_approved_narrative_falls_back_marked_on_the_action_page(portal, client):
    """The latest approved update's narrative is read by the plan's chain (ky → ru)."""
    from django.urls import reverse

    from nap1325.monitoring.models import ActionUpdate, AgencyReport

    report = AgencyReport.objects.filter(plan=portal.plan, state="approved").first()
    ActionUpdate.objects.create(
        report=report,
        action=portal.action,
        is_official=True,
        status="in_progress",
        narrative_ru="Семинары проведены в трёх областях.",
    )
    url = _ky(reverse("portal:action", args=[portal.plan.slug, portal.action.pk]))
    page = client.get(url).content.decode()
    assert '<div lang="ru"><p>Семинары проведены в трёх областях.</p></div>' in page
