"""The home page lists the reports waiting for the user (focal point or coordinator)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_home_says_what_waits_for_a_focal_point_and_a_coordinator(reporting, client):
    """A returned report and a report not started are listed; so is the review queue."""
    from decimal import Decimal

    from nap1325.monitoring import services
    from nap1325.monitoring.services import ValueInput

    report = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    report = services.agency_report_save(
        actor=reporting.focal_point,
        report=report,
        version=report.version,
        values={reporting.trained.pk: ValueInput(value=Decimal(35))},
    )
    report = services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=report.version
    )
    client.force_login(reporting.coordinator)
    text = " ".join(client.get("/en/").content.decode().split())
    assert "1 report waiting for your review" in text
    services.agency_report_return(
        actor=reporting.coordinator, report=report, version=report.version, reason="source?"
    )
    client.force_login(reporting.focal_point)
    text = " ".join(client.get("/en/").content.decode().split())
    assert "Report 2019 Q1 of MoES</a> — Returned for revision" in text
    assert "returned to you" in text
    assert "Report 2019 Q2 of MoES</a> — not started" in text
