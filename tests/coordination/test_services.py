"""Coordination writes: validation, permissions, outcomes that become work-plan tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nap1325.coordination import services
from nap1325.coordination.models import Event, GroupMember, Outcome, WorkPlanItem
from nap1325.core.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(plan, lead_ministry):
    return services.working_group_save(
        actor=None,
        plan=plan,
        name="Inter-Agency Working Group on the Elaboration of the NAP on UNSCR 1325",
        legal_act_title="Decree of the Prime Minister",
        legal_act_date=dt.date(2012, 6, 27),
        convening_authority="Prime Minister",
        lead_organisation=lead_ministry,
    )


@pytest.fixture
def seminar(plan):
    return services.event_create(
        actor=None,
        plan=plan,
        kind=Event.Kind.SEMINAR,
        title="Two-day seminar for members of the inter-agency working group",
        start_date=dt.date(2012, 7, 24),
        end_date=dt.date(2012, 7, 25),
        place="Bishkek",
    )


def test_event_ending_before_it_starts_is_refused(plan):
    with pytest.raises(ValidationError) as error:
        services.event_create(
            actor=None,
            plan=plan,
            title="Meeting",
            start_date=dt.date(2012, 7, 25),
            end_date=dt.date(2012, 7, 24),
        )
    assert "end_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.event_create(
            actor=None,
            plan=plan,
            title="Meeting",
            start_date=dt.date(2012, 7, 25),
            end_date=dt.date(2012, 7, 25),
            start_time=dt.time(15),
            end_time=dt.time(10),
        )
    assert "end_time" in error.value.message_dict
    assert not Event.objects.exists()


def test_a_task_outcome_becomes_a_work_plan_item_linked_to_the_meeting(seminar, lead_ministry):
    item = services.agenda_item_add(actor=None, event=seminar, title="Work plan of the group")
    outcome = services.outcome_record(
        actor=None,
        agenda_item=item,
        kind=Outcome.Kind.TASK,
        text="Prepare the first draft of the NAP",
        task={"due": dt.date(2012, 10, 31), "owner_organisation": lead_ministry},
    )
    task = WorkPlanItem.objects.get()
    assert outcome.task == task
    assert task.title == "Prepare the first draft of the NAP"
    assert task.decided_at_id == outcome.pk
    assert task.source_outcome.agenda_item.event == seminar
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            actor=None, agenda_item=item, kind=Outcome.Kind.TASK, text="Translate the draft"
        )
    assert "task_owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            actor=None,
            agenda_item=item,
            kind=Outcome.Kind.TASK,
            text="Translate the draft",
            task={"owner_organisation": lead_ministry},
        )
    assert "task_due" in error.value.message_dict
    assert WorkPlanItem.objects.count() == 1 and Outcome.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"person_name": "Deputy Minister", "women": 1, "men": 1}, "women"),
        ({"person_name": "", "women": 3}, "person_name"),
        ({"person_name": "Chair", "women": 0}, "women"),
    ],
)
def test_bad_attendance_is_a_field_error(seminar, values, field):
    with pytest.raises(ValidationError) as error:
        services.attendance_add(actor=None, event=seminar, **values)
    assert field in error.value.message_dict


def test_dependencies_never_form_a_cycle_and_drop_needs_a_reason(plan):
    draft = services.work_plan_item_create(
        actor=None, plan=plan, title="First draft", due=dt.date(2012, 10, 31)
    )
    review = services.work_plan_item_create(
        actor=None, plan=plan, title="Review", due=dt.date(2012, 11, 15), depends_on=[draft]
    )
    with pytest.raises(ValidationError) as error:
        services.work_plan_item_update(actor=None, item=draft, depends_on=[review])
    assert "cycle" in error.value.message_dict["depends_on"][0]
    with pytest.raises(ValidationError) as error:
        services.work_plan_item_update(actor=None, item=review, state="dropped")
    assert "drop_reason" in error.value.message_dict
    dropped = services.work_plan_item_update(
        actor=None, item=review, state="dropped", drop_reason="Merged into the draft"
    )
    assert dropped.state == "dropped"
    assert AuditEvent.objects.filter(reason="Merged into the draft").exists()


def test_task_due_before_drafting_began_is_warned_not_refused(plan, group):
    item = services.work_plan_item_create(
        actor=None, plan=plan, title="Concept note", due=dt.date(2012, 5, 1)
    )
    assert services.planning_warnings(item) == ["Due before the drafting began (2012-06-27)."]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "knews.kg/article", "ftp://x.kg/a"])
def test_malformed_media_url_is_refused(plan, url):
    with pytest.raises(ValidationError) as error:
        services.media_item_create(actor=None, plan=plan, outlet="knews.kg", url=url)
    assert "url" in error.value.message_dict


def test_minutes_by_the_assigned_member_only(plan, seminar, member_factory, coordinator):
    recorder = member_factory(Role.WORKING_GROUP_MEMBER)
    other = member_factory(Role.WORKING_GROUP_MEMBER)
    partner = member_factory(Role.PARTNER)
    seminar = services.event_update(actor=coordinator, event=seminar, minutes_recorder=recorder)
    for user in (other, partner):
        with pytest.raises(PermissionDenied):
            services.event_minutes_save(
                actor=user, event=seminar, minutes="…", version=seminar.version
            )
    saved = services.event_minutes_save(
        actor=recorder, event=seminar, minutes="# Day 1\n\nOpening.", version=seminar.version
    )
    assert saved.minutes.startswith("# Day 1")
    with pytest.raises(ValidationError):
        services.event_minutes_save(
            actor=coordinator, event=seminar, minutes="stale", version=seminar.version
        )
    with pytest.raises(PermissionDenied):
        services.event_create(
            actor=recorder,
            plan=plan,
            title="x",
            start_date=dt.date(2012, 8, 1),
            end_date=dt.date(2012, 8, 1),
        )


def test_member_history_keeps_who_left(group, lead_ministry):
    member = services.group_member_add(
        actor=None,
        group=group,
        organisation=lead_ministry,
        person_name="Deputy Minister of Internal Affairs",
        role=GroupMember.Role.CHAIR,
        joined_on=dt.date(2012, 6, 27),
    )
    with pytest.raises(ValidationError):
        services.group_member_update(actor=None, member=member, left_on=dt.date(2012, 1, 1))
    services.group_member_update(actor=None, member=member, left_on=dt.date(2013, 3, 1))
    member.refresh_from_db()
    assert member.is_active_on(dt.date(2012, 7, 24))
    assert not member.is_active_on(dt.date(2013, 3, 2))
