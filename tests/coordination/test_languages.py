"""The working group's name and mandate and events' titles and descriptions are edited once
per language of the plan, like the plan's items (docs/decisions.md, "Languages")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from nap1325.coordination import services
from nap1325.coordination.models import Event, WorkingGroup
from nap1325.core.history import readable_events
from nap1325.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(login, coordinator):
    return login(coordinator)


@pytest.fixture
def group(plan, lead_ministry):
    return services.working_group_save(
        actor=None,
        plan=plan,
        name_ru="Межведомственная рабочая группа",
        name_en="Inter-agency working group",
        mandate_en="Draft the first National Action Plan.",
        lead_organisation=lead_ministry,
    )


@pytest.fixture
def meeting(plan):
    return services.event_create(
        actor=None,
        plan=plan,
        kind=Event.Kind.MEETING,
        title_ru="Первое заседание",
        title_en="First meeting",
        start_date=dt.date(2012, 7, 3),
        end_date=dt.date(2012, 7, 3),
    )


def _labels(page: str) -> list[str]:
    return re.findall(r'<label for="id_(\w+?_(?:ky|ru|en))">', page)


def test_group_form_shows_name_and_mandate_in_the_plans_languages_in_order(client, plan, group):
    page = client.get(reverse("coordination:group_edit", args=[plan.slug])).content.decode()
    assert _labels(page) == [
        "name_ky",
        "name_ru",
        "name_en",
        "mandate_ky",
        "mandate_ru",
        "mandate_en",
    ]
    assert "Name (Kyrgyz)" in page and "Mandate (Russian)" in page
    assert 'lang="ru"' in page and "Межведомственная рабочая группа</textarea>" in page


def test_saving_a_kyrgyz_name_keeps_the_russian_one_and_audits_per_language(
    client, plan, group, lead_ministry
):
    response = client.post(
        reverse("coordination:group_edit", args=[plan.slug]),
        {
            "name_ky": "Ведомстволор аралык жумушчу топ",
            "name_ru": "Межведомственная рабочая группа",
            "name_en": "Inter-agency working group",
            "mandate_ky": "",
            "mandate_ru": "  ",
            "mandate_en": "Draft the first National Action Plan.",
            "lead_organisation": lead_ministry.pk,
        },
    )
    assert response.status_code == 302
    group = WorkingGroup.objects.get()
    assert group.name_ky == "Ведомстволор аралык жумушчу топ"
    assert group.name_ru == "Межведомственная рабочая группа"
    assert group.mandate_ru is None and group.mandate_ky is None
    event = AuditEvent.objects.filter(event_type="working_group.updated").get()
    assert event.changes == {"name_ky": [None, "Ведомстволор аралык жумушчу топ"]}
    [readable] = readable_events([event])
    assert [change.label for change in readable.changes] == ["Name (Kyrgyz)"]


def test_event_kyrgyz_title_keeps_the_russian_title(client, plan, meeting):
    url = reverse("coordination:event_edit", args=[plan.slug, meeting.pk])
    page = client.get(url).content.decode()
    assert _labels(page) == [
        "title_ky",
        "title_ru",
        "title_en",
        "description_ky",
        "description_ru",
        "description_en",
    ]
    response = client.post(
        url,
        {
            "kind": "meeting",
            "title_ky": "Биринчи жыйын",
            "title_ru": "Первое заседание",
            "title_en": "First meeting",
            "start_date": "2012-07-03",
            "end_date": "2012-07-03",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title_ky, meeting.title_ru, meeting.title_en) == (
        "Биринчи жыйын",
        "Первое заседание",
        "First meeting",
    )
    event = AuditEvent.objects.filter(event_type="event.updated").get()
    assert event.changes == {"title_ky": [None, "Биринчи жыйын"]}


def test_an_event_needs_a_title_in_one_language(client, plan):
    response = client.post(
        reverse("coordination:event_create", args=[plan.slug]),
        {"kind": "meeting", "title_ru": " ", "start_date": "2012-07-03", "end_date": "2012-07-03"},
    )
    assert response.status_code == 400
    assert "Give this in at least one language." in response.content.decode()
    assert not Event.objects.exists()


def test_services_take_a_title_per_language(plan):
    event = services.event_create(
        actor=None,
        plan=plan,
        kind=Event.Kind.MEETING,
        title_ky="Жыйын",
        start_date=dt.date(2012, 7, 3),
        end_date=dt.date(2012, 7, 3),
    )
    assert (event.title_ky, event.title_ru, event.title_en) == ("Жыйын", None, None)
    services.event_update(actor=None, event=event, title_ru="Заседание", title_ky="")
    event.refresh_from_db()
    assert (event.title_ky, event.title_ru) == (None, "Заседание")
