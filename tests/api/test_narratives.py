"""Narratives through the API: read in the request's language with the plan's chain and the
language named; written per language (``narrative_ru``), languages not sent kept."""

from __future__ import annotations

import pytest

from nap1325.monitoring.models import ActionUpdate, AgencyReport
from tests.api.test_write import open_report, q3, url  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_write_per_language_and_read_with_the_fallback_named(world, api, q3):  # noqa: F811
    client, response = open_report(world, api, period=q3)
    report = response.json()
    saved = client.patch(
        url("report", world, pk=report["id"]) + "?lang=ky",
        {
            "version": report["version"],
            "narrative_ru": "Второй квартал.",
            "narrative_en": "Second quarter.",
            "updates": [
                {
                    "action": world.r.action.pk,
                    "status": "in_progress",
                    "narrative_ru": "Семинары проведены.",
                }
            ],
        },
        format="json",
    )
    assert saved.status_code == 200, saved.content
    data = saved.json()
    # Kyrgyz asked: the plan's chain (ky, ru, en) gives the Russian text, named.
    assert (data["narrative"], data["narrative_lang"]) == ("Второй квартал.", "ru")
    assert (data["narrative_ky"], data["narrative_ru"], data["narrative_en"]) == (
        None,
        "Второй квартал.",
        "Second quarter.",
    )
    [update] = data["updates"]
    assert (update["narrative"], update["narrative_lang"], update["narrative_ru"]) == (
        "Семинары проведены.",
        "ru",
        "Семинары проведены.",
    )
    english = client.get(url("report", world, pk=report["id"]) + "?lang=en").json()
    assert (english["narrative"], english["narrative_lang"]) == ("Second quarter.", "en")
    listed = client.get(url("reports", world) + f"?lang=ky&period={q3.pk}").json()["results"]
    assert [(row["narrative"], row["narrative_lang"]) for row in listed] == [
        ("Второй квартал.", "ru")
    ]

    # ``narrative`` writes the request's language; the other languages are kept.
    again = client.patch(
        url("report", world, pk=report["id"]) + "?lang=ky",
        {
            "version": data["version"],
            "narrative": "Экинчи чейрек.",
            "updates": [
                {"action": world.r.action.pk, "status": "completed", "narrative": "Бүттү."}
            ],
        },
        format="json",
    )
    assert again.status_code == 200, again.content
    stored = AgencyReport.objects.get(pk=report["id"])
    assert (stored.narrative_ky, stored.narrative_ru, stored.narrative_en) == (
        "Экинчи чейрек.",
        "Второй квартал.",
        "Second quarter.",
    )
    row = ActionUpdate.objects.get(report=stored, is_official=False)
    assert (row.narrative_ky, row.narrative_ru, row.status) == (
        "Бүттү.",
        "Семинары проведены.",
        "completed",
    )


def test_an_unknown_language_is_refused_on_the_field(world, api, q3):  # noqa: F811
    client, response = open_report(world, api, period=q3)
    report = response.json()
    answer = client.patch(
        url("report", world, pk=report["id"]),
        {"version": report["version"], "narrative_fr": "Deuxième trimestre."},
        format="json",
    )
    assert answer.status_code == 400
    assert "narrative_fr" in answer.json()


def test_a_submitted_report_refuses_narratives(world, api, q3):  # noqa: F811
    client, response = open_report(world, api, period=q3)
    report = response.json()
    submitted = client.post(
        url("submit", world, pk=report["id"]), {"version": report["version"]}, format="json"
    )
    assert submitted.status_code == 200, submitted.content
    answer = client.patch(
        url("report", world, pk=report["id"]),
        {"version": submitted.json()["version"], "narrative_ru": "Изменено."},
        format="json",
    )
    assert answer.status_code == 409
    assert AgencyReport.objects.get(pk=report["id"]).narrative_ru is None


def test_the_schema_documents_the_narrative_languages(world, api):
    schema = api(None).get("/api/schema/?format=json").json()["components"]["schemas"]
    for name in ("PatchedReportSaveRequest", "UpdateInputRequest"):
        properties = schema[name]["properties"]
        assert {"narrative", "narrative_en", "narrative_ru", "narrative_ky"} <= set(properties)
    for name in ("Report", "WorkingUpdate"):
        assert {"narrative", "narrative_lang", "narrative_ky"} <= set(schema[name]["properties"])
