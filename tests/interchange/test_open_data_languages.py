"""Open data carries every language of the translated texts, after the existing columns.

Column keys never change; new columns are added at the end (the open-data page says so):
``title_en``, ``title_ru``, ``title_ky``, ``description_en``, … with the raw text of each
language (empty where there is none, no fallback).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from nap1325.interchange.logframe import columns as cols
from nap1325.interchange.logframe.export import export_logframe
from nap1325.plans.models import Indicator, Result
from tests.interchange.test_open_data import _get, published  # noqa: F401

pytestmark = pytest.mark.django_db

RU_TITLE = "Доля женщин среди военнослужащих"
KY_UNIT = "адам"
RU_RESULT = "Участие женщин"

LANGUAGE_KEYS = {
    "results": ["title_en", "title_ru", "title_ky", "description_en", "description_ru",
                "description_ky"],
    "indicators": [
        f"{name}_{code}"
        for name in ("title", "description", "unit", "means_of_verification")
        for code in ("en", "ru", "ky")
    ],
    "budget": [],
    "dimensions": [],
}  # fmt: skip


@pytest.fixture
def translated(published):  # noqa: F811
    t = published
    Indicator.objects.filter(pk=t.army.pk).update(title_ru=RU_TITLE, unit_ky=KY_UNIT)
    Result.objects.filter(pk=t.army.result_id).update(title_ru=RU_RESULT)
    return t


@pytest.mark.parametrize("sheet", list(LANGUAGE_KEYS))
def test_csv_keeps_its_columns_and_adds_the_languages_at_the_end(translated, client, sheet):
    data = _get(client, translated.plan, f"framework-{sheet}.csv").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(data)))
    before = cols.sheets(translated.plan.tier_labels)[sheet].keys
    assert header == [*before, *LANGUAGE_KEYS[sheet]]


def test_each_language_travels_in_its_own_column(translated, client):
    data = _get(client, translated.plan, "indicators.csv").content.decode("utf-8-sig")
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(data))}
    army = rows[translated.army.code]
    assert army["title_ru"] == RU_TITLE
    assert army["title_en"] == "Число женщин в армии"  # what the fixture wrote in English
    assert (army["title_ky"], army["unit_ky"], army["unit_ru"]) == ("", KY_UNIT, "")
    assert army["unit_en"] == "'+7 человек"  # neutralised like every text cell


def test_json_and_xlsx_carry_the_same_columns(translated, client):
    document = json.loads(_get(client, translated.plan, "framework.json").content)
    army = next(
        row for row in document["sheets"]["indicators"] if row["code"] == translated.army.code
    )
    assert (army["title_ru"], army["title_ky"], army["unit_ky"]) == (RU_TITLE, None, KY_UNIT)
    assert any(row["title_ru"] == RU_RESULT for row in document["sheets"]["results"])
    book = load_workbook(io.BytesIO(_get(client, translated.plan, "framework.xlsx").content))
    sheet = book["indicators"]
    keys = [cell.value for cell in sheet[1]]
    assert keys[-12:] == LANGUAGE_KEYS["indicators"]
    with translation.override("en"):
        assert sheet.cell(2, keys.index("title_ru") + 1).value == "Title (Russian)"
    army_row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == translated.army.code)
    assert army_row[keys.index("title_ru")].value == RU_TITLE


def test_the_index_page_lists_the_language_columns(translated, client):
    html = client.get(reverse("open_data:index", args=[translated.plan.slug])).content.decode()
    assert "<code>title_ru</code>" in html and "Title (Russian)" in html


def test_the_logframe_export_has_the_language_columns_after_its_own(translated):
    book = load_workbook(io.BytesIO(export_logframe(translated.plan, language="en")))
    keys = [cell.value for cell in book["indicators"][1]]
    own = cols.sheets(translated.plan.tier_labels)["indicators"].keys
    assert keys == [*own, *LANGUAGE_KEYS["indicators"]]
