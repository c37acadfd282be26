"""Open data: what is public, how it is written, and that the importers read it back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import yaml
from django.urls import reverse
from openpyxl import load_workbook

from nap1325.interchange.logframe.apply import import_logframe
from nap1325.interchange.logframe.reader import read_csv_sheets
from nap1325.interchange.open_data import neutralise
from nap1325.interchange.values_import import import_values, parse_mapping
from nap1325.monitoring import services as monitoring
from nap1325.monitoring.models import AgencyReport, IndicatorValue, ReportingPeriod
from nap1325.plans import services as plan_services
from nap1325.plans.models import Breakdown, Indicator, Plan
from tests.factories import UserFactory, grant, make_indicator, make_plan

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def published(target):
    """The DRC-like plan, published, with approved values and things that must stay hidden."""
    t = target
    plan_services.indicator_update(
        actor=None, indicator=t.army, title="Число женщин в армии", unit="+7 человек"
    )
    plan_services.indicator_update(actor=None, indicator=t.law, description=FORMULA)
    plan_services.indicator_update(actor=None, indicator=t.share, means_of_verification="- survey")
    hidden = make_indicator(t.army.result, "H1", title="Internal draft indicator")
    Indicator.objects.filter(pk=hidden.pk).update(is_published=False)
    Plan.objects.filter(pk=t.plan.pk).update(is_published=True)
    rank_sex = Breakdown.objects.get(indicator=t.army, order=0)
    province = Breakdown.objects.get(indicator=t.army, order=1)
    monitoring.agency_report_record_approved(
        actor=t.coordinator,
        period=t.y2021,
        organisation=t.secretariat,
        values={
            t.army.pk: monitoring.ValueInput(
                value=Decimal("120"),
                comment="-12 since 2020",
                cells={
                    rank_sex.pk: {"generaux|women": Decimal(2), "superieurs|men": Decimal(118)},
                    province.pk: {"ituri": Decimal("70.5"), "nord-kivu": Decimal("49.5")},
                },
            ),
            t.share.pk: monitoring.ValueInput(numerator=Decimal(40), denominator=Decimal(220)),
            t.law.pk: monitoring.ValueInput(yes_no=True),
            t.strategy.pk: monitoring.ValueInput(stage=1),
            hidden.pk: monitoring.ValueInput(value=Decimal(999)),
        },
        reason="test",
    )
    # a working value of a draft report: never public
    draft = AgencyReport.objects.create(plan=t.plan, period=t.y2022, organisation=t.ministry)
    IndicatorValue.objects.create(report=draft, indicator=t.army, value=Decimal(777))
    t.plan.refresh_from_db()
    return t


def _get(client, plan, name):
    return client.get(reverse("open_data:download", args=[plan.slug, name]))


def test_values_csv_bom_cyrillic_numbers_and_neutralised_text(published, client):
    response = _get(client, published.plan, "values.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'rel="license"' in response["Link"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    w1 = [r for r in rows if r["indicator"] == "W1"]
    total = next(r for r in w1 if not r["armee"] and not r["province"] and not r["sex"])
    assert total["indicator_title"] == "Число женщин в армии"
    assert total["unit"] == "'+7 человек"
    assert total["comment"] == "'-12 since 2020"
    assert total["value"] == "120" and total["period_start"] == "2021-01-01"
    assert '"120"' not in text  # numbers are not quoted
    cells = {(r["armee"], r["sex"], r["province"]): r["value"] for r in w1 if r is not total}
    assert cells == {
        ("generaux", "women", ""): "2",
        ("superieurs", "men", ""): "118",
        ("", "", "ituri"): "70.5",
        ("", "", "nord-kivu"): "49.5",
    }
    share = next(r for r in rows if r["indicator"] == "P1")
    assert (share["numerator"], share["denominator"]) == ("40", "220")
    assert next(r for r in rows if r["indicator"] == "L1")["value"] == "yes"
    assert next(r for r in rows if r["indicator"] == "S1")["value"] == "Adopted"
    assert "999" not in text and "777" not in text and "H1" not in text  # hidden / unapproved


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+7 700 000", "'+7 700 000"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("＝1", "'＝1"),
        ("Women, peace", "Women, peace"),
        ("Женщины", "Женщины"),
    ],
)
def test_neutralise(text, written):
    assert neutralise(text) == written


def test_xlsx_types(published, client):
    book = load_workbook(io.BytesIO(_get(client, published.plan, "values.xlsx").content))
    sheet = book["values"]
    head = {c.value: c.column for c in sheet[1]}
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, head["indicator"]).value == "W1"
        and sheet.cell(r, head["sex"]).value is None
        and sheet.cell(r, head["province"]).value is None
        and sheet.cell(r, head["armee"]).value is None
    )
    assert (
        sheet.cell(row, head["value"]).value == 120
        and sheet.cell(row, head["value"]).data_type == "n"
    )
    start = sheet.cell(row, head["period_start"]).value
    assert isinstance(start, dt.datetime) and start.date() == dt.date(2021, 1, 1)
    comment = sheet.cell(row, head["comment"])
    assert comment.value == "-12 since 2020" and comment.data_type == "s"
    framework = load_workbook(io.BytesIO(_get(client, published.plan, "framework.xlsx").content))
    indicators = framework["indicators"]
    ihead = {c.value: c.column for c in indicators[1]}
    law = next(r for r in range(3, indicators.max_row + 1) if indicators.cell(r, 1).value == "L1")
    cell = indicators.cell(law, ihead["description"])
    assert cell.value == FORMULA and cell.data_type == "s"  # text, not a formula
    codes = [indicators.cell(r, 1).value for r in range(3, indicators.max_row + 1)]
    assert "H1" not in codes and "W1" in codes


def test_unpublished_plan_is_404(target, client):
    for name in ("values.csv", "framework.json", "framework.xlsx"):
        assert _get(client, target.plan, name).status_code == 404
    assert client.get(reverse("open_data:index", args=[target.plan.slug])).status_code == 404
    assert _get(client, target.plan, "secret.txt").status_code == 404


def test_index_page_and_query_budgets(published, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = client.get(reverse("open_data:index", args=[published.plan.slug]))
    assert page.status_code == 200 and "CC BY 4.0" in page.content.decode()
    budgets = {"values.csv": 12, "framework.json": 16, "framework.xlsx": 16, "indicators.csv": 16}
    for name, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert _get(client, published.plan, name).status_code == 200


def test_round_trip_into_a_fresh_plan(published, client, tmp_path):
    """framework.json → logframe-import; values.csv + mapping → import-values: same values."""
    source = published.plan
    fresh = make_plan(slug="fresh", country="CD")
    user = UserFactory(username="fresh-coordinator")
    grant(user, fresh, published.secretariat, "coordinator")
    framework = tmp_path / "framework.json"
    framework.write_bytes(_get(client, source, "framework.json").content)
    result = import_logframe(fresh, framework, actor=user)
    assert [str(p) for p in result.all_problems] == [] and result.applied
    assert set(Indicator.objects.filter(plan=fresh).values_list("code", flat=True)) == {
        "W1",
        "P1",
        "L1",
        "S1",
    }
    # the CSV files of the framework read back too (nothing to change now)
    paths = []
    for sheet in ("results", "actions", "indicators", "budget", "dimensions"):
        path = tmp_path / f"fresh-{sheet}.csv"
        path.write_bytes(_get(client, source, f"framework-{sheet}.csv").content)
        paths.append(path)
    again = import_logframe(fresh, paths[0], actor=user, logframe=read_csv_sheets(paths))
    assert [str(p) for p in again.all_problems] == []
    assert again.changeset.of("create") == [] and again.changeset.of("change") == []
    for period in ReportingPeriod.objects.filter(plan=source):
        monitoring.reporting_period_create(
            actor=user,
            plan=fresh,
            label=period.label,
            start=period.start,
            end=period.end,
            due=period.due,
        )
    values = tmp_path / "values.csv"
    values.write_bytes(_get(client, source, "values.csv").content)
    mapping = yaml.safe_load(_get(client, source, "values-mapping.yaml").content)
    import_values(
        plan=fresh, paths=[values], mapping=parse_mapping(mapping), username=user.username
    )

    def official(plan):
        found = {}
        for v in IndicatorValue.objects.filter(
            indicator__plan=plan, is_official=True
        ).prefetch_related("cells"):
            found[(v.indicator.code, v.report.period.label, v.report.organisation.name)] = (
                v.value,
                v.numerator,
                v.denominator,
                v.yes_no,
                v.stage,
                sorted((c.key, c.amount) for c in v.cells.all()),
            )
        return found

    expected = {k: v for k, v in official(source).items() if k[0] != "H1"}
    assert official(fresh) == expected
