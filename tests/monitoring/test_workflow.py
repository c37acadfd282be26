"""The review workflow of DESIGN.md §6, walked exactly as ../shared/cases W1."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nap1325.core.models import AuditEvent
from nap1325.monitoring import selectors, services
from nap1325.monitoring.models import AgencyReport, ReportingPeriod
from nap1325.monitoring.services import ReportConflict, ValueInput

pytestmark = pytest.mark.django_db
State = AgencyReport.State


def official_total(reporting) -> Decimal | None:
    """What official (and public) totals use: approved values only, across reporters."""
    series = selectors.official_series([reporting.trained.pk]).get(reporting.trained.pk, {})
    values = [pv.value for values in series.values() for pv in values]
    return sum(values, Decimal(0)) if values else None


def save(reporting, report, value, user=None):
    return services.agency_report_save(
        actor=user or reporting.focal_point,
        report=report,
        version=report.version,
        values={reporting.trained.pk: ValueInput(value=Decimal(value))},
    )


def messages(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


def test_w1_review_workflow_step_by_step(reporting):
    focal, coordinator = reporting.focal_point, reporting.coordinator
    report = services.agency_report_open(
        actor=focal, period=reporting.q1, organisation=reporting.ministry
    )

    # 1. Save as draft: in no total, and the coordinator's queue is empty.
    report = save(reporting, report, "35")
    assert report.state == State.DRAFT
    assert official_total(reporting) is None
    assert not AgencyReport.objects.filter(state=State.SUBMITTED).exists()

    # 2. Submit: the focal point can no longer change it; only the labelled pending view has it.
    report = services.agency_report_submit(actor=focal, report=report, version=report.version)
    assert report.state == State.SUBMITTED
    with pytest.raises(ValidationError) as refused:
        save(reporting, report, "36")
    assert "submitted" in messages(refused.value)
    assert official_total(reporting) is None
    assert [v.value for v in selectors.pending_values([reporting.trained.pk])] == [Decimal(35)]

    # 3. Return: an empty reason is refused; a reason is kept and shown.
    with pytest.raises(ValidationError) as no_reason:
        services.agency_report_return(
            actor=coordinator, report=report, version=report.version, reason="  "
        )
    assert "reason" in no_reason.value.message_dict
    report = services.agency_report_return(
        actor=coordinator, report=report, version=report.version, reason="source table missing"
    )
    assert report.state == State.RETURNED
    assert report.transitions.last().reason == "source table missing"

    # 4. Change to 38 and resubmit; history keeps 35 and the reason.
    report = save(reporting, report, "38")
    report = services.agency_report_submit(actor=focal, report=report, version=report.version)
    assert report.state == State.SUBMITTED
    saved = AuditEvent.objects.filter(event_type="agency_report.saved").order_by("id")
    assert saved.last().changes == {"indicator I1": ["35", "38"]}
    returned = AuditEvent.objects.get(event_type="agency_report.returned")
    assert returned.reason == "source table missing"

    # 5. Approve: official totals use 38; the approval records 38, who and when.
    report = services.agency_report_approve(
        actor=coordinator, report=report, version=report.version
    )
    assert report.state == State.APPROVED
    assert official_total(reporting) == Decimal(38)
    assert report.approved_by == coordinator and report.approved_at is not None
    approval = AuditEvent.objects.get(event_type="agency_report.approved")
    assert approval.changes["values"] == {"indicator I1": "38"}
    assert approval.actor == coordinator

    # 6. Any edit of the approved report is refused, by the focal point and the coordinator.
    for user in (focal, coordinator):
        with pytest.raises(ValidationError) as approved:
            save(reporting, report, "39", user=user)
        assert "already approved" in messages(approved.value)

    # 7. Reopen with a reason; 40 is entered; official totals still show 38.
    report = services.agency_report_reopen(
        actor=coordinator, report=report, version=report.version, reason="ministry found 2 more"
    )
    report = save(reporting, report, "40")
    assert report.state == State.REOPENED
    assert official_total(reporting) == Decimal(38)
    report = services.agency_report_submit(actor=focal, report=report, version=report.version)
    assert official_total(reporting) == Decimal(38)
    approval.refresh_from_db()
    assert approval.changes["values"] == {"indicator I1": "38"}

    # 8. After the period is closed, a new submission says "period closed".
    report = services.agency_report_return(
        actor=coordinator, report=report, version=report.version, reason="check the source"
    )
    services.reporting_period_set_state(
        actor=coordinator, period=reporting.q1, state=ReportingPeriod.State.CLOSED
    )
    with pytest.raises(ValidationError) as closed:
        services.agency_report_submit(actor=focal, report=report, version=report.version)
    assert "Period closed" in messages(closed.value)
    assert "already approved" not in messages(closed.value)
    assert official_total(reporting) == Decimal(38)


def test_double_clicked_submit_stores_one_submission(reporting):
    report = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    again = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    assert again.pk == report.pk
    report = save(reporting, report, "35")
    loaded_version = report.version
    first = services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=loaded_version
    )
    second = services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=loaded_version
    )
    assert first.pk == second.pk and second.state == State.SUBMITTED
    assert AgencyReport.objects.count() == 1
    assert report.transitions.count() == 1
    assert AuditEvent.objects.filter(event_type="agency_report.submitted").count() == 1


def test_stale_write_is_a_conflict_not_an_overwrite(reporting):
    report = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    loaded = report.version
    save(reporting, report, "35")
    with pytest.raises(ReportConflict):
        services.agency_report_save(
            actor=reporting.coordinator,
            report=report,
            version=loaded,
            values={reporting.trained.pk: ValueInput(value=Decimal(99))},
        )
    values, _updates = services.read_entries(report, official=False)
    assert values[reporting.trained.pk].value == Decimal(35)


def test_only_the_agency_and_the_coordinator_may_write(reporting):
    with pytest.raises(PermissionDenied):
        services.agency_report_open(
            actor=reporting.other_focal_point,
            period=reporting.q1,
            organisation=reporting.ministry,
        )
    report = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    report = save(reporting, report, "35")
    report = services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=report.version
    )
    with pytest.raises(PermissionDenied):
        services.agency_report_approve(
            actor=reporting.focal_point, report=report, version=report.version
        )
    with pytest.raises(PermissionDenied):
        services.agency_report_save(
            actor=reporting.other_focal_point,
            report=report,
            version=report.version,
            values={},
        )


@pytest.mark.parametrize(
    ("indicator", "entry", "field", "message"),
    [
        (
            "share",
            ValueInput(numerator=Decimal(5), denominator=Decimal(0)),
            "denominator",
            "more than 0",
        ),
        (
            "share",
            ValueInput(numerator=Decimal(50), denominator=Decimal(40)),
            "numerator",
            "larger than the denominator",
        ),
        ("share", ValueInput(numerator=Decimal(5)), "denominator", "Enter the denominator"),
        ("trained", ValueInput(value=Decimal(-1)), "value", "0 or more"),
        ("trained", ValueInput(no_data=True), "no_data_reason", "reason"),
        ("law", ValueInput(comment="see decree"), "yes_no", "yes or no"),
        ("stage", ValueInput(stage=3), "stage", "one of the stages"),
        # what the database cannot hold exactly is refused, never rounded (core.quantities)
        ("trained", ValueInput(value=Decimal("999999999999999999")), "value", "too large"),
        ("trained", ValueInput(value=Decimal("1E+25")), "value", "too large"),
        ("trained", ValueInput(value=Decimal("0.12345")), "value", "at most 4 decimal"),
        (
            "share",
            ValueInput(numerator=Decimal("0.0000001"), denominator=Decimal("0.0000004")),
            "denominator",
            "at most 4 decimal",
        ),
        ("trained", ValueInput(value=Decimal("NaN")), "value", "Enter a number"),
    ],
)
def test_bad_values_are_field_errors(reporting, indicator, entry, field, message):
    report = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    target = getattr(reporting, indicator)
    with pytest.raises(ValidationError) as error:
        services.agency_report_save(
            actor=reporting.focal_point,
            report=report,
            version=report.version,
            values={target.pk: entry},
        )
    key = services.field_name("i", target.pk, field)
    assert message in " ".join(error.value.message_dict[key])
    report.refresh_from_db()
    assert report.version == 1 and not report.values.exists()


def test_breakdown_that_does_not_add_up_is_accepted(reporting):
    report = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    breakdown = reporting.trained.breakdowns.get()
    report = services.agency_report_save(
        actor=reporting.focal_point,
        report=report,
        version=report.version,
        values={
            reporting.trained.pk: ValueInput(
                value=Decimal(120),
                cells={breakdown.pk: {"women": Decimal(70), "men": Decimal(45)}},
            )
        },
    )
    values, _updates = services.read_entries(report, official=False)
    assert values[reporting.trained.pk].cells == {
        breakdown.pk: {"women": Decimal(70), "men": Decimal(45)}
    }
    with pytest.raises(ValidationError) as error:
        services.agency_report_save(
            actor=reporting.focal_point,
            report=report,
            version=report.version,
            values={
                reporting.trained.pk: ValueInput(
                    value=Decimal(1), cells={breakdown.pk: {"girls": Decimal(1)}}
                )
            },
        )
    assert services.field_name("i", reporting.trained.pk, f"cell-{breakdown.pk}-girls") in (
        error.value.message_dict
    )


def test_overlapping_period_is_refused_naming_the_other(reporting):
    import datetime as dt

    with pytest.raises(ValidationError) as error:
        services.reporting_period_create(
            actor=reporting.coordinator,
            plan=reporting.plan,
            label="2019 H1",
            start=dt.date(2019, 3, 1),
            end=dt.date(2019, 8, 31),
            due=dt.date(2019, 9, 15),
        )
    assert "2019 Q1" in error.value.message_dict["start"][0]
    with pytest.raises(PermissionDenied):
        services.reporting_period_create(
            actor=reporting.focal_point,
            plan=reporting.plan,
            label="2019 Q3",
            start=dt.date(2019, 7, 1),
            end=dt.date(2019, 9, 30),
            due=dt.date(2019, 10, 15),
        )


def test_recording_approved_values_twice_changes_nothing(reporting):
    values = {reporting.trained.pk: ValueInput(value=Decimal(12))}
    report, changed = services.agency_report_record_approved(
        actor=reporting.coordinator,
        period=reporting.q1,
        organisation=reporting.ministry,
        values=values,
        reason="import of moes-2019.csv",
    )
    assert changed and report.state == State.APPROVED
    assert official_total(reporting) == Decimal(12)
    events = AuditEvent.objects.count()
    report, changed = services.agency_report_record_approved(
        actor=reporting.coordinator,
        period=reporting.q1,
        organisation=reporting.ministry,
        values=values,
        reason="import of moes-2019.csv",
    )
    assert not changed and AuditEvent.objects.count() == events
    with pytest.raises(ValidationError) as error:
        services.agency_report_record_approved(
            actor=reporting.coordinator,
            period=reporting.q1,
            organisation=reporting.ministry,
            values={reporting.trained.pk: ValueInput(value=Decimal(13))},
            reason="import of moes-2019-v2.csv",
        )
    assert "already approved" in messages(error.value)


def test_an_import_never_approves_what_the_agency_has_not_submitted(reporting):
    """A draft with the agency's own entries is not approved behind its back by an import."""
    report = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    services.agency_report_save(
        actor=reporting.focal_point,
        report=report,
        version=report.version,
        values={reporting.share.pk: ValueInput(numerator=Decimal(3), denominator=Decimal(12))},
    )
    with pytest.raises(ValidationError) as error:
        services.agency_report_record_approved(
            actor=reporting.coordinator,
            period=reporting.q1,
            organisation=reporting.ministry,
            values={reporting.trained.pk: ValueInput(value=Decimal(12))},
            reason="import of moes-2019.csv",
        )
    assert "nobody has reviewed" in messages(error.value)
    report.refresh_from_db()
    assert report.state == State.DRAFT and official_total(reporting) is None


def test_who_entered_or_submitted_the_values_does_not_approve_them(reporting, member_factory):
    """Four eyes: a coordinator who typed an agency's figures in needs a colleague to approve."""
    from nap1325.core.models import Role

    colleague = member_factory(Role.COORDINATOR)
    report = services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )
    report = save(reporting, report, "35", user=reporting.coordinator)
    report = services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=report.version
    )
    with pytest.raises(ValidationError) as error:
        services.agency_report_approve(
            actor=reporting.coordinator, report=report, version=report.version
        )
    assert "another coordinator" in messages(error.value)
    report = services.agency_report_approve(actor=colleague, report=report, version=report.version)
    assert report.state == State.APPROVED and report.approved_by == colleague
