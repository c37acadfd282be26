"""Evidence files on a report: types checked by extension and content, size limit, only
while editable, served only to those who may see the report."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from nap1325.monitoring import services
from nap1325.monitoring.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages and URLs in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
ZIP = b"PK\x03\x04" + b"\x00" * 40
CSV = b"indicator;women;men\nI1;70;50\n"
EXE = b"MZ\x90\x00" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def report(reporting):
    return services.agency_report_open(
        actor=reporting.focal_point, period=reporting.q1, organisation=reporting.ministry
    )


def add_url(report):
    return reverse("monitoring:evidence_add", args=[report.plan.slug, report.pk])


def upload(client, report, name, content, **extra):
    return client.post(add_url(report), {"file": SimpleUploadedFile(name, content), **extra})


def file_error(response) -> str:
    match = re.search(r'id="id_file_error">([^<]*)<', response.content.decode())
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("Training list.pdf", PDF, "document"),
        ("photo.PNG", PNG, "image"),
        ("photo.jpeg", JPEG, "image"),
        ("photo.jpg", JPEG, "image"),
        ("registers.xlsx", ZIP, "spreadsheet"),
        ("decree.docx", ZIP, "document"),
        ("minutes.odt", ZIP, "document"),
        ("table.ods", ZIP, "spreadsheet"),
        ("table.csv", CSV, "spreadsheet"),
        ("note.txt", "Отчёт министерства".encode(), "document"),
    ],
)
def test_allowed_files_are_stored_and_listed(reporting, report, login, name, content, kind):
    client = login(reporting.focal_point)
    response = upload(client, report, name, content, indicator=str(reporting.trained.pk))
    assert response.status_code == 302
    evidence = Evidence.objects.get(report=report)
    assert (evidence.original_name, evidence.kind, evidence.size) == (name, kind, len(content))
    assert evidence.indicator == reporting.trained
    assert evidence.uploaded_by == reporting.focal_point
    assert name not in evidence.file.name  # stored under a random name
    page = client.get(reverse("monitoring:report", args=[report.plan.slug, report.pk]))
    assert name in page.content.decode()


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "setup.exe",
            EXE,
            "Files of this type are not accepted. "
            "Allowed: csv, docx, jpeg, jpg, ods, odt, pdf, png, txt, xlsx.",
        ),
        ("page.html", b"<html></html>", "Files of this type are not accepted."),
        ("no-extension", PDF, "Files of this type are not accepted."),
        (
            "report.pdf",
            EXE,
            "The content of this file is not a .pdf file; check that it is not renamed.",
        ),
        (
            "photo.png",
            JPEG,
            "The content of this file is not a .png file; check that it is not renamed.",
        ),
        (
            "table.xlsx",
            PDF,
            "The content of this file is not a .xlsx file; check that it is not renamed.",
        ),
        ("table.csv", ZIP, "This file is not a text file, although its name ends in .csv."),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_wrong_files_get_a_message_on_the_file_field(
    reporting, report, login, name, content, message
):
    response = upload(login(reporting.focal_point), report, name, content)
    assert response.status_code == 400
    assert file_error(response).startswith(message)
    assert not Evidence.objects.exists()


def test_too_large_file_is_refused_with_the_limit(reporting, report, login, settings):
    settings.NAP1325_EVIDENCE_MAX_BYTES = 1024 * 1024
    content = PDF + b"0" * (1024 * 1024)
    response = upload(login(reporting.focal_point), report, "big.pdf", content)
    assert response.status_code == 400
    assert file_error(response) == "The file is too large (1.0 MB); the limit is 1.0 MB."
    assert not Evidence.objects.exists()


def test_download_streams_the_file_to_those_who_may_see_the_report(reporting, report, login):
    upload(login(reporting.focal_point), report, "Training list.pdf", PDF)
    evidence = Evidence.objects.get()
    url = reverse("monitoring:evidence", args=[report.plan.slug, report.pk, evidence.pk])
    for user in (reporting.focal_point, reporting.coordinator):
        response = login(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert 'attachment; filename="Training list.pdf"' in response["Content-Disposition"]
    assert login(reporting.other_focal_point).get(url).status_code == 404
    assert login(None).get(url).status_code == 302
    # The media URL of the stored file serves nothing.
    assert login(reporting.focal_point).get("/media/" + evidence.file.name).status_code == 404


def test_evidence_of_another_report_is_not_found_through_this_one(reporting, report, login):
    upload(login(reporting.focal_point), report, "a.pdf", PDF)
    evidence = Evidence.objects.get()
    other = services.agency_report_open(
        actor=reporting.other_focal_point,
        period=reporting.q1,
        organisation=reporting.other_ministry,
    )
    url = reverse("monitoring:evidence", args=[report.plan.slug, other.pk, evidence.pk])
    assert login(reporting.other_focal_point).get(url).status_code == 404


def test_no_upload_or_removal_once_submitted(reporting, report, login):
    client = login(reporting.focal_point)
    upload(client, report, "a.pdf", PDF)
    evidence = Evidence.objects.get()
    report.refresh_from_db()
    services.agency_report_submit(
        actor=reporting.focal_point, report=report, version=report.version
    )
    response = upload(client, report, "b.pdf", PDF)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "submitted and waiting for review; it cannot be changed" in page
    assert 'enctype="multipart/form-data"' not in page
    remove = reverse("monitoring:evidence_remove", args=[report.plan.slug, report.pk, evidence.pk])
    client.post(remove)
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["a.pdf"]


def test_removing_a_file_deletes_it_from_storage(
    reporting, report, login, django_capture_on_commit_callbacks
):
    client = login(reporting.focal_point)
    upload(client, report, "a.pdf", PDF)
    evidence = Evidence.objects.get()
    storage, stored = evidence.file.storage, evidence.file.name
    assert storage.exists(stored)
    remove = reverse("monitoring:evidence_remove", args=[report.plan.slug, report.pk, evidence.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not Evidence.objects.exists()
    assert not storage.exists(stored)


def test_other_focal_point_cannot_upload(reporting, report, login):
    response = upload(login(reporting.other_focal_point), report, "a.pdf", PDF)
    assert response.status_code == 404
    assert not Evidence.objects.exists()
