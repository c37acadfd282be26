"""Services of participation: dispositions need reasons, derived dispositions, bad counts
and dates refused on their field, nothing half-saved, who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from nap1325.core.history import EVENT_LABELS
from nap1325.core.models import AuditEvent, Role
from nap1325.participation import services
from nap1325.participation.models import (
    Consultation,
    ConsultationDocument,
    ConsultationGroupCount,
    InputLink,
    ShadowAssessment,
)

pytestmark = pytest.mark.django_db


def _input(consultation, **values):
    fields = {"kind": "concern", "text": "Crisis centres close when grants end.", **values}
    return services.input_create(actor=None, consultation=consultation, **fields)


def test_consultation_keeps_counts_by_sex_and_group(consultation):
    assert consultation.participants == 53
    assert dict(consultation.group_counts.values_list("group", "count")) == {
        "womens_organisations": 15,
        "youth": 11,
    }
    event = AuditEvent.objects.get(event_type="consultation.created")
    assert event.changes["women"] == [None, 41]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("women", -1, "cannot be negative"),
        ("men", "twelve", "whole number"),
        ("unspecified", "1.5", "whole number"),
    ],
)
def test_bad_participant_counts_are_refused_on_their_field(plan, kg_matrix, field, value, message):
    values = {"title": "Osh", "level": "community", "date": dt.date(2017, 1, 5), field: value}
    with pytest.raises(ValidationError) as caught:
        services.consultation_create(actor=None, plan=plan, **values)
    assert message in caught.value.message_dict[field][0]
    assert not Consultation.objects.exists()


def test_bad_group_count_saves_nothing(plan, kg_matrix):
    with pytest.raises(ValidationError) as caught:
        services.consultation_create(
            actor=None,
            plan=plan,
            title="Osh",
            level="community",
            date=dt.date(2017, 1, 5),
            group_counts={"youth": -3},
        )
    assert "group_youth" in caught.value.message_dict
    assert not Consultation.objects.exists()
    assert not ConsultationGroupCount.objects.exists()


def test_future_date_is_refused_but_date_before_the_plan_only_warns(plan, kg_matrix):
    tomorrow = services.today(plan) + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.consultation_create(
            actor=None, plan=plan, title="Later", level="online", date=tomorrow
        )
    assert "future" in caught.value.message_dict["date"][0]
    early = services.consultation_create(
        actor=None, plan=plan, title="2012", level="national", date=dt.date(2012, 9, 12)
    )
    assert services.consultation_warnings(early) == [
        "Held before the plan period (consultations on a draft usually are)."
    ]


def test_group_table_is_replaced_on_update(consultation):
    services.consultation_update(
        actor=None, consultation=consultation, group_counts={"crisis_centres": 4}
    )
    assert dict(consultation.group_counts.values_list("group", "count")) == {"crisis_centres": 4}
    event = AuditEvent.objects.filter(event_type="consultation.updated").get()
    assert event.changes["group_counts"][1] == {"crisis_centres": 4}


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_disposition_needs_a_reason(consultation, kg_matrix, reason):
    inp = _input(consultation)
    with pytest.raises(ValidationError) as caught:
        services.input_link_save(
            actor=None,
            inp=inp,
            action=kg_matrix["1.2.1"],
            disposition="incorporated",
            reason=reason,
        )
    assert caught.value.message_dict["reason"] == ["Give the reason for this disposition."]
    with pytest.raises(ValidationError):
        services.input_decline(actor=None, inp=inp, reason=reason)
    inp.refresh_from_db()
    assert inp.disposition == ""
    assert not InputLink.objects.exists()


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ([], ""),
        (["not_incorporated"], "not_incorporated"),
        (["partly", "not_incorporated"], "partly"),
        (["partly", "incorporated"], "incorporated"),
    ],
)
def test_input_disposition_is_the_highest_of_its_links(consultation, kg_matrix, links, expected):
    inp = _input(consultation)
    for code, disposition in zip(["1.1.1", "1.1.2", "1.2.1"], links, strict=False):
        services.input_link_save(
            actor=None, inp=inp, action=kg_matrix[code], disposition=disposition, reason="why"
        )
    inp.refresh_from_db()
    assert inp.disposition == expected
    assert (inp.disposition_changed_at is not None) == bool(expected)


def test_decline_without_action_then_a_link_replaces_it(consultation, kg_matrix):
    inp = _input(consultation)
    services.input_decline(actor=None, inp=inp, reason="Needs a change of the law.")
    inp.refresh_from_db()
    assert (inp.disposition, inp.decline_reason) == (
        "not_incorporated",
        "Needs a change of the law.",
    )
    services.input_link_save(
        actor=None, inp=inp, action=kg_matrix["1.2.1"], disposition="partly", reason="Training."
    )
    inp.refresh_from_db()
    assert (inp.disposition, inp.decline_reason) == ("partly", "")
    with pytest.raises(ValidationError) as caught:
        services.input_decline(actor=None, inp=inp, reason="No.")
    assert "linked to actions" in caught.value.message_dict["reason"][0]
    link = inp.links.get()
    services.input_link_remove(actor=None, link=link)
    inp.refresh_from_db()
    assert inp.disposition == ""
    types = list(
        AuditEvent.objects.filter(event_type__startswith="input.")
        .order_by("pk")
        .values_list("event_type", flat=True)
    )
    assert types == [
        "input.created",
        "input.declined",
        "input.decline_withdrawn",
        "input.linked",
        "input.unlinked",
    ]
    assert all(t in EVENT_LABELS for t in types)


def test_link_to_an_action_of_another_plan_is_refused(consultation, lead_ministry):
    from tests.factories import make_action, make_plan, make_result

    other = make_plan(slug="other")
    action = make_action(make_result(other, "1"), "1.1", lead_ministry)
    inp = _input(consultation)
    with pytest.raises(ValidationError) as caught:
        services.input_link_save(
            actor=None, inp=inp, action=action, disposition="incorporated", reason="x"
        )
    assert "action" in caught.value.message_dict


def test_themes_are_normalised(consultation):
    inp = _input(consultation, themes=" security,Security , access to services,,")
    assert inp.themes == ["security", "access to services"]


# --------------------------------------------------------------------------- permissions


@pytest.mark.parametrize(
    ("role", "record", "decide"),
    [
        (Role.COORDINATOR, True, True),
        (Role.CIVIL_SOCIETY_MONITOR, True, False),
        (Role.WORKING_GROUP_MEMBER, False, False),
        (Role.FOCAL_POINT, False, False),
        (Role.PARTNER, False, False),
        ("admin", True, True),
        ("non_member", False, False),
    ],
)
def test_who_records_inputs_and_decides(
    consultation, kg_matrix, user_in_role, role, record, decide
):
    user = user_in_role(role)
    outsider_error = Http404 if role == "non_member" else PermissionDenied
    if record:
        inp = services.input_create(
            actor=user, consultation=consultation, kind="concern", text="Shelters."
        )
        if role == Role.CIVIL_SOCIETY_MONITOR:
            assert inp.raised_by == user
    else:
        with pytest.raises(outsider_error):
            services.input_create(
                actor=user, consultation=consultation, kind="concern", text="Shelters."
            )
        inp = _input(consultation)
    if decide:
        services.input_link_save(
            actor=user, inp=inp, action=kg_matrix["1.2.1"], disposition="partly", reason="x"
        )
    else:
        with pytest.raises(outsider_error):
            services.input_link_save(
                actor=user, inp=inp, action=kg_matrix["1.2.1"], disposition="partly", reason="x"
            )
        with pytest.raises(outsider_error):
            services.consultation_create(
                actor=user,
                plan=consultation.plan,
                title="x",
                level="online",
                date=dt.date(2017, 1, 1),
            )


def test_monitor_edits_own_input_only_until_decided(consultation, kg_matrix, monitor):
    inp = services.input_create(
        actor=monitor, consultation=consultation, kind="concern", text="Shelters."
    )
    services.input_update(actor=monitor, inp=inp, text="Shelters had no space for women.")
    services.input_link_save(
        actor=None, inp=inp, action=kg_matrix["1.2.1"], disposition="partly", reason="x"
    )
    inp.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.input_update(actor=monitor, inp=inp, text="Changed after the decision.")


# --------------------------------------------------------------------------- documents


def test_document_upload_checks_reuse_core_uploads(consultation):
    fake = SimpleUploadedFile("notes.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as caught:
        services.consultation_document_add(actor=None, consultation=consultation, upload=fake)
    assert "renamed" in caught.value.message_dict["file"][0]
    assert not ConsultationDocument.objects.exists()
    good = SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n%%EOF\n")
    document = services.consultation_document_add(
        actor=None, consultation=consultation, upload=good, title="Notes"
    )
    assert (document.original_name, document.size) == ("notes.pdf", 15)


# --------------------------------------------------------------------------- shadow


def test_one_shadow_assessment_per_organisation_period_element_with_history(
    plan, kg_matrix, periods, monitor, organisations
):
    action = kg_matrix["1.1.1"]
    values = {
        "actor": monitor,
        "plan": plan,
        "period": periods[0],
        "organisation": organisations["WPN"],
        "action": action,
    }
    first = services.shadow_assessment_save(**values, rating="partly", narrative="Half done.")
    second = services.shadow_assessment_save(
        **values, rating="not_implemented", narrative="Nothing seen.", version=1
    )
    assert first.pk == second.pk
    assert ShadowAssessment.objects.count() == 1
    assert second.version == 2
    update = AuditEvent.objects.get(event_type="shadow_assessment.updated")
    assert update.changes["rating"] == ["partly", "not_implemented"]
    assert update.changes["narrative"] == ["Half done.", "Nothing seen."]
    with pytest.raises(ValidationError) as caught:
        services.shadow_assessment_save(**values, rating="partly", narrative="Stale.", version=1)
    assert "reload" in caught.value.message_dict["narrative"][0]


def test_shadow_assessment_rules(plan, kg_matrix, periods, monitor, organisations, coordinator):
    base = {"plan": plan, "period": periods[0], "rating": "partly", "narrative": "Seen."}
    with pytest.raises(PermissionDenied):  # coordinators do not write civil society's view
        services.shadow_assessment_save(
            actor=coordinator, organisation=organisations["WPN"], action=kg_matrix["1.1.1"], **base
        )
    with pytest.raises(PermissionDenied):  # only for the monitor's own organisation
        services.shadow_assessment_save(
            actor=monitor, organisation=organisations["MIA"], action=kg_matrix["1.1.1"], **base
        )
    with pytest.raises(ValidationError) as caught:
        services.shadow_assessment_save(
            actor=monitor,
            organisation=organisations["WPN"],
            action=kg_matrix["1.1.1"],
            indicator=kg_matrix["1a"],
            **base,
        )
    assert "element" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.shadow_assessment_save(
            actor=monitor,
            organisation=organisations["WPN"],
            action=kg_matrix["1.1.1"],
            **{**base, "narrative": "  "},
        )
    assert "narrative" in caught.value.message_dict
    bad_file = SimpleUploadedFile("photo.jpg", b"not a jpeg")
    with pytest.raises(ValidationError) as caught:
        services.shadow_assessment_save(
            actor=monitor,
            organisation=organisations["WPN"],
            indicator=kg_matrix["1a"],
            upload=bad_file,
            **base,
        )
    assert "evidence_file" in caught.value.message_dict
    assert not ShadowAssessment.objects.exists()


def test_public_consultations_for_the_portal(plan, consultation, kg_matrix):
    from nap1325.participation.selectors import public_consultations
    from nap1325.plans.models import Action, Plan

    hidden = services.consultation_create(
        actor=None, plan=plan, title="Internal", level="online", date=dt.date(2017, 2, 1)
    )
    _input(hidden)
    inp = _input(consultation)
    for code in ("1.2.1", "1.1.2"):
        services.input_link_save(
            actor=None, inp=inp, action=kg_matrix[code], disposition="partly", reason="r"
        )
    services.consultation_publish(actor=None, consultation=consultation, published=True)
    assert public_consultations(plan) == []  # the plan is not published
    Plan.objects.filter(pk=plan.pk).update(is_published=True)
    Action.objects.filter(pk=kg_matrix["1.1.2"].pk).update(is_published=False)
    plan.refresh_from_db()
    [public] = public_consultations(plan)
    assert public.consultation == consultation
    assert [(g.group, g.count) for g in public.group_counts] == [
        ("womens_organisations", 15),
        ("youth", 11),
    ]
    [shown] = public.inputs
    assert shown.disposition == "partly"
    assert [link.action.code for link in shown.public_links] == ["1.2.1"]
