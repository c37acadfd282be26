"""The logframe pages: download, upload → preview → confirm; permissions; query budgets."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from nap1325.core.models import Role
from nap1325.interchange.logframe.export import export_logframe
from nap1325.interchange.models import ImportPreview
from nap1325.plans import services as plan_services
from nap1325.plans.models import Action

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _edited(plan, title: str) -> bytes:
    workbook = load_workbook(io.BytesIO(export_logframe(plan, language="en")))
    ws = workbook["actions"]
    head = {c.value: c.column for c in ws[1]}
    for row in range(3, ws.max_row + 1):
        if ws.cell(row, head["code"]).value == "2.1.1":
            ws.cell(row, head["title_en"]).value = title  # the language columns are read
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, plan, data: bytes, name: str = "kg.xlsx"):
    return client.post(
        reverse("logframe:upload", args=[plan.slug]),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COORDINATOR, 200),
        ("admin", 200),
        (Role.FOCAL_POINT, 403),
        (Role.WORKING_GROUP_MEMBER, 403),
        (Role.PARTNER, 403),
        ("non_member", 404),
    ],
)
def test_who_may_open_the_logframe_pages(plan, user_in_role, login, role, status):
    client = login(user_in_role(role))
    assert client.get(reverse("logframe:index", args=[plan.slug])).status_code == status
    assert client.get(reverse("logframe:download", args=[plan.slug])).status_code == status


def test_anonymous_is_sent_to_login(plan, login):
    response = login(None).get(reverse("logframe:index", args=[plan.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_download_in_the_chosen_language(kg_matrix, plan, coordinator, login):
    response = login(coordinator).get(
        reverse("logframe:download", args=[plan.slug]), {"lang": "ru"}
    )
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert 'filename="test-plan-logframe-ru.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:5] == ["instructions", "lists", "results", "actions", "indicators"]
    assert workbook["actions"]["A1"].value == "tier_1"
    labels = [c.value for c in workbook["actions"][2]]
    assert "Код" in labels  # the Russian label of "code" (catalogue permitting)
    empty = login(coordinator).get(
        reverse("logframe:download", args=[plan.slug]), {"empty": "1", "lang": "en"}
    )
    sheet = load_workbook(io.BytesIO(empty.content))["actions"]
    assert sheet.max_row == 2 or all(c.value is None for c in sheet[3])


def test_upload_preview_confirm(kg_matrix, plan, coordinator, login, django_assert_max_num_queries):
    client = login(coordinator)
    response = _upload(client, plan, _edited(plan, "Gender-sensitive school curricula"))
    assert response.status_code == 302
    preview = ImportPreview.objects.get()
    url = reverse("logframe:preview", args=[plan.slug, preview.pk])
    assert response["Location"] == url
    page = client.get(url)
    text = page.content.decode()
    assert "Gender-sensitive school curricula" in text and "Confirm the import" in text
    assert Action.objects.get(code="2.1.1").title != "Gender-sensitive school curricula"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert Action.objects.get(code="2.1.1").title == "Gender-sensitive school curricula"
    assert not ImportPreview.objects.exists()
    # the same file again: nothing to change, no confirm button
    _upload(client, plan, _edited(plan, "Gender-sensitive school curricula"))
    preview = ImportPreview.objects.get()
    url = reverse("logframe:preview", args=[plan.slug, preview.pk])
    with django_assert_max_num_queries(40):
        page = client.get(url)
    assert "nothing to change" in page.content.decode()
    assert "Confirm the import" not in page.content.decode()


def test_confirm_refused_when_the_plan_changed_since(kg_matrix, plan, coordinator, login):
    client = login(coordinator)
    _upload(client, plan, _edited(plan, "From the file"))
    preview = ImportPreview.objects.get()
    action = Action.objects.get(code="2.1.1")
    plan_services.action_update(actor=coordinator, action=action, description="edited meanwhile")
    url = reverse("logframe:preview", args=[plan.slug, preview.pk])
    page = client.post(url, {"reason": ""})
    assert page.status_code == 200
    assert "has changed since this preview" in page.content.decode()
    assert Action.objects.get(code="2.1.1").title != "From the file"
    assert client.post(url, {"reason": ""}).status_code == 302  # confirmed after seeing it again
    assert Action.objects.get(code="2.1.1").title == "From the file"


def test_adopted_plan_needs_a_reason(kg_matrix, plan, coordinator, login):
    plan_services.plan_update(actor=None, plan=plan, status="adopted")
    client = login(coordinator)
    _upload(client, plan, _edited(plan, "Revised title"))
    url = reverse("logframe:preview", args=[plan.slug, ImportPreview.objects.get().pk])
    page = client.post(url, {"reason": "  "})
    assert page.status_code == 200 and "give a reason" in page.content.decode()
    assert client.post(url, {"reason": "Revision of 2019"}).status_code == 302
    event = plan.audit_events.filter(event_type="action.updated").latest("id")
    assert event.reason == "Revision of 2019 (logframe import of kg.xlsx)"


def test_a_file_that_is_not_a_workbook(plan, coordinator, login):
    client = login(coordinator)
    response = _upload(client, plan, b"not a workbook at all")
    preview = ImportPreview.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "kg.xlsx: not an Excel workbook" in page.content.decode()
    assert preview.file_name == "kg.xlsx"
    response = _upload(client, plan, b"x", name="notes.docx")
    assert response.status_code == 400 and ".xlsx" in response.content.decode()


def test_preview_of_another_user_is_404(kg_matrix, plan, coordinator, member_factory, login):
    _upload(login(coordinator), plan, _edited(plan, "x"))
    other = member_factory(Role.COORDINATOR)
    url = reverse("logframe:preview", args=[plan.slug, ImportPreview.objects.get().pk])
    assert login(other).get(url).status_code == 404
