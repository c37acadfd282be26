"""The 2012 consultations in the demo: the published facts, illustrative content marked,
a shadow assessment that disagrees with an approved report, idempotent loading."""

from __future__ import annotations

import pytest

from nap1325.core.models import AuditEvent
from nap1325.demo.loader import load_demo
from nap1325.participation import selectors
from nap1325.participation.models import (
    Consultation,
    ConsultationGroupCount,
    Input,
    InputLink,
    ShadowAssessment,
)
from nap1325.plans.models import Plan

pytestmark = pytest.mark.django_db

MODELS = (Consultation, ConsultationGroupCount, Input, InputLink, ShadowAssessment, AuditEvent)


def test_demo_consultations_inputs_and_shadow_assessment():
    load_demo()
    plan = Plan.objects.get(slug="kg-nap-2018")
    consultations = Consultation.objects.filter(plan=plan)
    assert consultations.filter(level="national").count() == 2  # published fact
    assert consultations.filter(level="community").count() == 3  # "several": illustrative
    assert all(c.is_illustrative for c in consultations)
    assert all(
        "2 consultations at national level" in c.summary
        and "Association of Crisis Centres" in c.summary
        for c in consultations
    )
    assert not Input.objects.filter(is_illustrative=False).exists()
    themes = {theme for inp in Input.objects.all() for theme in inp.themes}
    assert themes == {
        "role of women in peacebuilding and reconciliation",
        "access to services",
        "women's rights",
        "empowerment",
        "security",
        "response to gender-based violence",
    }
    coverage = selectors.coverage(plan)
    assert {r.key: r.count for r in coverage.by_disposition} == {
        "incorporated": 4,
        "partly": 3,
        "not_incorporated": 1,
        "none": 1,
    }
    rows = selectors.shadow_page(plan).rows
    flagged = [row for row in rows if row.disagrees]
    assert [
        (r.assessment.action.code, r.government_status, r.assessment.rating) for r in flagged
    ] == [("3.1.1", "completed", "partly")]
    assert flagged[0].assessment.updated_by.username == "monitor"
    assert Input.objects.filter(raised_by__username="monitor").exclude(disposition="").exists()


def test_loading_the_demo_twice_changes_nothing():
    load_demo()
    counts = {model: model.objects.count() for model in MODELS}
    load_demo()
    assert {model: model.objects.count() for model in MODELS} == counts
