"""Organisation choices (lead agency, partners, owners, filters) are named in the reader's
language by the plan's chain; an option in another language than the page carries ``lang``
(docs/decisions.md, "Languages")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from nap1325.coordination import services as coordination
from nap1325.core.forms import OrganisationChoiceField
from nap1325.core.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def labour():
    """An organisation with only a Russian name."""
    organisation = OrganisationFactory(name="Ministry of Labour", acronym="")
    Organisation.objects.filter(pk=organisation.pk).update(
        name_en=None, name_ru="Министерство труда", name_ky=None
    )
    return Organisation.objects.get(pk=organisation.pk)


@pytest.fixture
def client(login, coordinator):
    return login(coordinator)


def _action_edit(plan, action) -> str:
    with translation.override("ky"):
        return reverse("plans:action_edit", args=[plan.slug, action.pk])


def test_kyrgyz_page_marks_a_russian_only_organisation_in_select_and_check_boxes(
    client, plan, framework, labour, lead_ministry
):
    Organisation.objects.filter(pk=lead_ministry.pk).update(name_ky="Ички иштер министрлиги")
    page = client.get(_action_edit(plan, framework["action"])).content.decode()
    lead = page.split('name="lead_agency"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{labour.pk}" lang="ru">Министерство труда</option>' in lead
    # Kyrgyz text in a Kyrgyz page: no mark; the acronym as str() puts it.
    assert re.search(
        rf'<option value="{lead_ministry.pk}" selected>Ички иштер министрлиги \(MIA\)</option>',
        lead,
    )
    partners = page.split('name="partners"', 1)[1].split("</fieldset>", 1)[0]
    assert '<span lang="ru">Министерство труда</span>' in partners


def test_english_page_with_the_plan_chain(client, plan, framework, labour):
    """The plan's chain (ky, ru, en) after English: a Russian-only name is Russian there too."""
    url = reverse("plans:action_edit", args=[plan.slug, framework["action"].pk])
    page = client.get(url).content.decode()
    assert f'<option value="{labour.pk}" lang="ru">Министерство труда</option>' in page


def test_options_follow_the_label_order_without_a_query_per_option(client, plan, framework, labour):
    url = _action_edit(plan, framework["action"])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    OrganisationFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    lead = page.split('name="lead_agency"', 1)[1].split("</select>", 1)[0]
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", lead)
    assert labels == sorted(labels, key=str.casefold)


def test_field_labels_with_the_plans_chain_and_without(plan, labour):
    field = OrganisationChoiceField(queryset=Organisation.objects.all())
    with translation.override("ky"):
        assert field.label_from_instance(labour).lang == "ru"
        field.plan = plan
        assert field.label_from_instance(labour).lang == "ru"
    with translation.override("en"):
        assert field.label_from_instance(labour) == "Министерство труда"


def test_work_plan_owner_filter_marks_the_fallback(client, plan, labour):
    coordination.work_plan_item_create(
        actor=None,
        plan=plan,
        kind="task",
        title="Translate the draft",
        owner_organisation=labour,
        due=dt.date(2019, 1, 1),
    )
    with translation.override("ky"):
        url = reverse("workplan:list", args=[plan.slug])
    page = client.get(url).content.decode()
    assert f'<option value="o{labour.pk}" lang="ru">Министерство труда</option>' in page


def test_matrix_agency_filter_marks_the_fallback(client, plan, framework, labour):
    framework["action"].partners.add(labour)
    with translation.override("ky"):
        url = reverse("plans:matrix", args=[plan.slug])
    page = client.get(url).content.decode()
    assert f'<option value="{labour.pk}" lang="ru">Министерство труда</option>' in page


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("content_organisation", '<span lang="ru">Министерство труда (MoL)</span>'),
        ("content_short", "MoL"),
    ],
)
def test_organisation_names_in_pages_follow_the_plan_chain(plan, tag, expected):
    """Agency-report lists and portal cards name organisations as the plan's own texts do
    (ky → ru → en for a Kyrgyz plan), not by the platform's chain (ky → en → ru)."""
    from django.template import Context, Template

    organisation = OrganisationFactory(name="Ministry of Labour", acronym="MoL")
    Organisation.objects.filter(pk=organisation.pk).update(
        name_en="Ministry of Labour", name_ru="Министерство труда", name_ky=None
    )
    organisation = Organisation.objects.get(pk=organisation.pk)
    plan.languages = ["ky", "ru", "en"]
    with translation.override("ky"):
        shown = Template("{% load content %}{% " + tag + " organisation %}").render(
            Context({"organisation": organisation, "plan": plan})
        )
    assert shown == expected
