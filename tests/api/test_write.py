"""Focal points save and submit through the API with the same workflow as the report page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nap1325.core.models import AuditEvent
from nap1325.monitoring import services
from nap1325.monitoring.models import AgencyReport, IndicatorValue, ReportingPeriod

pytestmark = pytest.mark.django_db


def url(name: str, world, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs={"slug": world.plan.slug, **kwargs})


def open_report(world, api, user=None, period=None, organisation=None):
    client = api(user or world.r.focal_point)
    response = client.post(
        url(
            "report_open",
            world,
            period_pk=(period or world.r.q2).pk,
            organisation_pk=(organisation or world.r.ministry).pk,
        )
    )
    return client, response


@pytest.fixture
def q3(world):
    import datetime as dt

    return services.reporting_period_create(
        actor=world.r.coordinator,
        plan=world.plan,
        label="2019 Q3",
        start=dt.date(2019, 7, 1),
        end=dt.date(2019, 9, 30),
        due=dt.date(2019, 10, 15),
    )


def test_a_focal_point_saves_a_draft_then_submits_it(world, api, q3):
    client, response = open_report(world, api, period=q3)
    assert response.status_code == 201
    report = response.json()
    assert (report["state"], report["organisation"]["acronym"]) == ("draft", "MoES")
    assert set(report["indicators"]) == {
        world.r.trained.pk,
        world.r.share.pk,
        world.r.law.pk,
        world.r.stage.pk,
    }
    sex = world.r.trained.breakdowns.get()
    saved = client.patch(
        url("report", world, pk=report["id"]),
        {
            "version": report["version"],
            "narrative": "Third quarter.",
            "values": [
                {
                    "indicator": world.r.trained.pk,
                    "value": "35.5",
                    "cells": [
                        {"breakdown": sex.pk, "key": "women", "amount": 20},
                        {"breakdown": sex.pk, "key": "men", "amount": "15.5"},
                    ],
                },
                {"indicator": world.r.law.pk, "yes_no": True},
            ],
            "updates": [{"action": world.r.action.pk, "status": "completed", "progress": 100}],
        },
        format="json",
    )
    assert saved.status_code == 200, saved.content
    data = saved.json()
    assert data["version"] == report["version"] + 1
    assert data["narrative"] == "Third quarter."
    values = {v["indicator"]: v for v in data["values"]}
    assert values[world.r.trained.pk]["value"] == "35.5"
    assert {c["key"]: c["amount"] for c in values[world.r.trained.pk]["cells"]} == {
        "women": "20",
        "men": "15.5",
    }
    assert values[world.r.law.pk]["yes_no"] is True
    assert data["updates"][0]["status"] == "completed"
    assert AuditEvent.objects.filter(event_type="agency_report.saved", actor=world.r.focal_point)
    # nothing official yet
    assert not IndicatorValue.objects.filter(report_id=report["id"], is_official=True).exists()

    submitted = client.post(
        url("submit", world, pk=report["id"]), {"version": data["version"]}, format="json"
    )
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    # a repeated submit of the same version (double click) changes nothing
    again = client.post(
        url("submit", world, pk=report["id"]), {"version": data["version"]}, format="json"
    )
    assert again.status_code == 200
    assert AgencyReport.objects.get(pk=report["id"]).transitions.count() == 1


def test_opening_twice_finds_the_same_report(world, api):
    _client, response = open_report(world, api)
    assert response.status_code == 200
    assert response.json()["id"] == world.q2_report.pk


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"version": 1, "state": "approved", "organisation": 3},
            {
                "state": ["This is set by the workflow, not by a request."],
                "organisation": ["This is set by the workflow, not by a request."],
            },
        ),
        ({"version": "two"}, {"version": ["A valid integer is required."]}),
        ({}, {"version": ["This field is required."]}),
        (
            {"version": 1, "values": [{"indicator": "I1", "value": "12"}]},
            {"values.0.indicator": ["A valid integer is required."]},
        ),
        (
            {"version": 1, "values": [{"indicator": 1, "value": "twelve"}]},
            {"values.0.value": ['Enter a number, e.g. "12.5".']},
        ),
        (
            {"version": 1, "values": [{"indicator": 1, "value": True}]},
            {"values.0.value": ['Enter a number, e.g. "12.5".']},
        ),
        (
            {"version": 1, "values": [{"indicator": 1, "value": "NaN"}]},
            {"values.0.value": ['Enter a number, e.g. "12.5".']},
        ),
        (
            {"version": 1, "values": {"indicator": 1}},
            {"values": ['Expected a list of items but got type "dict".']},
        ),
        ([1, 2], {"detail": ["Send a JSON object."]}),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, api, q3, body, errors):
    client, response = open_report(world, api, period=q3)
    before = AgencyReport.objects.get(pk=response.json()["id"]).version
    answer = client.patch(url("report", world, pk=response.json()["id"]), body, format="json")
    assert answer.status_code == 400
    assert answer.json() == errors
    assert AgencyReport.objects.get(pk=response.json()["id"]).version == before


def test_service_errors_point_at_the_entry_that_was_sent(world, api, q3):
    client, response = open_report(world, api, period=q3)
    report = response.json()
    sex = world.r.trained.breakdowns.get()
    answer = client.patch(
        url("report", world, pk=report["id"]),
        {
            "version": report["version"],
            "values": [
                {"indicator": world.r.law.pk, "yes_no": True},
                {"indicator": world.r.share.pk, "numerator": "50", "denominator": "40"},
                {
                    "indicator": world.r.trained.pk,
                    "value": "10",
                    "cells": [{"breakdown": sex.pk, "key": "girls", "amount": "3"}],
                },
                {"indicator": world.hidden_indicator.pk, "value": "1"},
            ],
        },
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "values.1.numerator": ["The numerator (50) is larger than the denominator (40)."],
        "values.2.cells.0.key": ["Unknown category."],
        "values": [
            f"Indicator {world.hidden_indicator.pk} is not one this organisation reports on."
        ],
    }
    assert not IndicatorValue.objects.filter(report_id=report["id"]).exists()


def test_a_stale_version_is_a_409_and_writes_nothing(world, api, q3):
    client, response = open_report(world, api, period=q3)
    report = response.json()
    body = {"version": report["version"], "values": [{"indicator": world.r.law.pk, "yes_no": True}]}
    assert (
        client.patch(url("report", world, pk=report["id"]), body, format="json").status_code == 200
    )
    # the same save again is a repeat, not a conflict
    assert (
        client.patch(url("report", world, pk=report["id"]), body, format="json").status_code == 200
    )
    stale = {
        "version": report["version"],
        "values": [{"indicator": world.r.law.pk, "yes_no": False}],
    }
    answer = client.patch(url("report", world, pk=report["id"]), stale, format="json")
    assert answer.status_code == 409
    assert answer.json() == {
        "version": [
            f"The report changed since you read it (it is now at version {report['version'] + 1}). "
            "Read it again and send your changes with the new version."
        ]
    }
    assert IndicatorValue.objects.get(report_id=report["id"]).yes_no is True


def test_submitted_approved_and_closed_reports_refuse_changes_with_their_own_message(world, api):
    client = api(world.r.focal_point)
    submitted = world.q2_report
    answer = client.patch(
        url("report", world, pk=submitted.pk), {"version": submitted.version}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json() == {
        "state": ["This report is submitted and waiting for review; it cannot be changed."]
    }
    approved = world.q1_report
    answer = client.post(
        url("submit", world, pk=approved.pk), {"version": approved.version}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json() == {
        "state": ["This report is already approved; ask the coordinator to reopen it."]
    }
    ReportingPeriod.objects.filter(pk=world.r.q1.pk).update(state="closed")
    answer = client.post(
        url("submit", world, pk=approved.pk), {"version": approved.version}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json() == {
        "period": ["Period closed: this reporting period takes no more reports."]
    }


def test_another_agencys_report_is_404_to_a_focal_point(world, api):
    client = api(world.r.other_focal_point)
    report = world.q2_report
    for method, name, body in (
        ("get", "report", None),
        ("patch", "report", {"version": report.version}),
        ("post", "submit", {"version": report.version}),
    ):
        answer = getattr(client, method)(url(name, world, pk=report.pk), body, format="json")
        assert answer.status_code == 404, (method, name)
    _client, response = open_report(world, api, user=world.r.other_focal_point)
    assert response.status_code == 404
    assert not AgencyReport.objects.filter(organisation=world.r.other_ministry).exists()


def test_review_through_the_api_keeps_four_eyes_and_needs_a_reason(world, api):
    report = world.q2_report
    focal = api(world.r.focal_point)
    answer = focal.post(
        url("approve", world, pk=report.pk), {"version": report.version}, format="json"
    )
    assert answer.status_code == 403
    reviewer = api(world.approver)
    answer = reviewer.post(
        url("return", world, pk=report.pk), {"version": report.version}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json() == {"reason": ["Say why the report is returned."]}
    answer = reviewer.post(
        url("approve", world, pk=report.pk), {"version": report.version}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["state"] == "approved"
    assert api().get(url("values", world), {"period": world.r.q2.pk}).json()["count"] == 1


def test_anonymous_writes_are_404(world, api):
    report = world.q2_report
    answer = api().patch(url("report", world, pk=report.pk), {"version": 1}, format="json")
    assert answer.status_code == 404


def test_a_cell_given_twice_is_refused_and_nothing_is_stored(world, api, q3):
    client, response = open_report(world, api, period=q3)
    report = response.json()
    sex = world.r.trained.breakdowns.get()
    cells = [
        {"breakdown": sex.pk, "key": "women", "amount": "-99"},
        {"breakdown": sex.pk, "key": "men", "amount": "3"},
        {"breakdown": sex.pk, "key": "women", "amount": "1"},
    ]
    answer = client.patch(
        url("report", world, pk=report["id"]),
        {
            "version": report["version"],
            "values": [{"indicator": world.r.trained.pk, "value": "4", "cells": cells}],
        },
        format="json",
    )
    assert answer.status_code == 400
    (message,) = answer.json()["values.0.cells"]
    assert message == f"Cell 2 repeats cell 0 (breakdown {sex.pk}, key “women”)."
    assert not IndicatorValue.objects.filter(report_id=report["id"]).exists()
