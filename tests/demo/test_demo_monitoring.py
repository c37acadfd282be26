"""The demo's monitoring: the DRC's real values through import-values; the Kyrgyz cycle."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.db import transaction

from nap1325.core.models import AuditEvent, Membership, Role, User
from nap1325.demo.loader import DRC_DIR, DRC_MAPPING, DRC_VALUE_FILES, load_demo
from nap1325.interchange.values_import import import_values, load_mapping
from nap1325.measurement import Breakdown as MBreakdown
from nap1325.measurement import BreakdownTable, Ratio, women_share, women_share_by_category
from nap1325.measurement import Dimension as MDimension
from nap1325.monitoring.models import (
    ActionUpdate,
    AgencyReport,
    IndicatorValue,
    ReportingPeriod,
    ReportTransition,
    ValueCell,
)
from nap1325.plans.models import Indicator, Plan

ARMY = "Nombre de femmes dans l'armée"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.perf_counter()
        load_demo()
        yield time.perf_counter() - started
        transaction.set_rollback(True)


def value_of(plan_slug: str, title: str, period_label: str) -> IndicatorValue | None:
    return (
        IndicatorValue.objects.filter(
            indicator__plan__slug=plan_slug,
            indicator__title=title,
            report__period__label=period_label,
            is_official=True,
        )
        .prefetch_related("cells__breakdown__dimensions__categories")
        .first()
    )


def table_of(value: IndicatorValue, dimension_keys: list[str]) -> BreakdownTable:
    """The value's cells of the breakdown on ``dimension_keys`` as the arithmetic's table."""
    cells = [c for c in value.cells.all() if len(c.key.split("|")) == len(dimension_keys)]
    breakdown = cells[0].breakdown
    dimensions = tuple(
        MDimension(d.key, tuple(c.key for c in d.categories.all()))
        for d in breakdown.sorted_dimensions()
    )
    assert [d.name for d in dimensions] == dimension_keys
    return BreakdownTable(
        MBreakdown(dimensions),
        value.value,
        {tuple(c.key.split("|")): c.amount for c in cells if c.breakdown_id == breakdown.pk},
    )


# --------------------------------------------------------------------------- DRC


@pytest.mark.parametrize(
    ("year", "rank", "women", "men"),
    [
        ("2021", "generaux", 8, 120),  # AllDATANumber.json rows 2–3
        ("2021", "troupe", 1698, 58355),
        ("2022", "generaux", 8, 233),  # rows 14–15
        ("2022", "superieurs", 164, 6883),
    ],
)
def test_drc_army_by_rank_and_sex_as_published(demo, db, year, rank, women, men):
    value = value_of("cd-pan-1325-2", ARMY, year)
    cells = {cell.key: cell.amount for cell in value.cells.all()}
    assert cells[f"{rank}|women"] == women
    assert cells[f"{rank}|men"] == men
    report = value.report
    assert report.state == AgencyReport.State.APPROVED
    assert report.organisation.acronym == "SN1325"
    assert report.approved_by.username == "coordinator"
    assert report.transitions.last().reason == (
        "import of AllDATANumber.json, All-DATAProvinces.json, AllDataListes.json"
    )


def test_drc_army_totals_and_share_of_women_per_rank(demo, db):
    value = value_of("cd-pan-1325-2", ARMY, "2022")
    # Σ of the 12 published cells (6 ranks × women, men).
    assert value.value == Decimal(8 + 233 + 801 + 25767 + 164 + 6883 + 632 + 31422 + 1029 + 38287
                                  + 1698 + 58355)  # fmt: skip
    table = table_of(value, ["armee", "sex"])
    assert table.complete
    shares = women_share_by_category(table)
    assert shares[("generaux",)] == Ratio(Decimal(8), Decimal(241))  # cases A4
    assert shares[("superieurs",)] == Ratio(Decimal(164), Decimal(7047))
    pooled = women_share(table)
    assert pooled.ratio == Ratio(Decimal(4332), Decimal(165279))
    assert pooled.display().startswith("2.6 % (") and pooled.not_disaggregated == 0


def test_drc_blanks_stay_not_reported(demo, db):
    justice = value_of("cd-pan-1325-2", "Nombre de femmes dans la justice (Magistrature)", "2022")
    keys = {cell.key for cell in justice.cells.all()}
    assert "procureurs-generaux|women" in keys  # published as 0: a real 0
    assert ValueCell.objects.get(value=justice, key="procureurs-generaux|women").amount == 0
    assert not any(key.startswith("magistrats|") for key in keys)  # published blank: absent
    assert len(keys) == 34  # 44 rows, 10 blank
    # Civil society: every 2022 cell blank → no value at all; 2023 Government: likewise.
    assert (
        value_of("cd-pan-1325-2", "Nombre des femmes au sein de la socièté civile", "2022") is None
    )
    assert (
        value_of("cd-pan-1325-2", "Nombre de femmes  dans le Gouvernement",
                 "2023") is None
    )  # fmt: skip
    # Nothing at all for 2019 and 2020: the export has no rows for them.
    assert not IndicatorValue.objects.filter(
        report__plan__slug="cd-pan-1325-2", report__period__label__in=["2019", "2020"]
    ).exists()


def test_drc_provinces_cross_sex_and_add_up(demo, db):
    title = "Nombre de secrétariats provinciaux 1325 installés à travers le Pays"
    value = value_of("cd-pan-1325-2", title, "2022")
    assert value.value == 22  # "En Général" row of AllDATANumber.json
    by_province = table_of(value, ["province", "sex"])
    assert by_province.covered == 22 and by_province.complete  # 26 provinces, 4 with 0
    assert by_province.cells[("ituri", "men")] == 1
    assert by_province.cells[("kasai", "men")] == 0
    assert ("ituri", "women") not in by_province.cells  # blank in the export
    plans_2023 = value_of(
        "cd-pan-1325-2",
        "Nombres des Plans d'Action Provinciaux élaborés et adoptés",
        "2023",
    )
    assert plans_2023.value == 6
    assert table_of(plans_2023, ["province", "sex"]).covered == 6


def test_drc_lists_are_yes_with_the_list_as_comment(demo, db):
    title = "Les lois et les politiques intégrant l’égalité des sexes dans la paix et la sécurité"
    value = value_of("cd-pan-1325-2", title, "2022")
    assert value.yes_no is True
    assert value.comment.startswith("La Constitution de la RDC du 18 Février 2006")
    assert value.comment.count("La Constitution de la RDC") == 2  # two 2022 rows, both kept
    assert value_of("cd-pan-1325-2", title, "2021").yes_no is True


def test_drc_periods_are_annual_and_closed_with_2023_after_the_plan(demo, db):
    plan = Plan.objects.get(slug="cd-pan-1325-2")
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("start"))
    assert [p.label for p in periods] == [
        "2019",
        "2020",
        "2021",
        "2022",
        "2023",
    ]
    assert all(p.state == ReportingPeriod.State.CLOSED for p in periods)
    assert periods[-1].start > plan.period_end
    assert 'reporting period "2023" that lies after the plan period' in plan.source_note


def test_drc_second_import_changes_nothing_and_is_fast(demo, db):
    plan = Plan.objects.get(slug="cd-pan-1325-2")
    started = time.perf_counter()
    result = import_values(
        plan=plan,
        paths=[DRC_DIR / name for name in DRC_VALUE_FILES],
        mapping=load_mapping(DRC_MAPPING),
        username="coordinator",
    )
    assert time.perf_counter() - started < 2
    assert (result.reports_changed, result.values_written) == (0, 0)
    assert result.rows_read == 140 + 70 + 11
    assert result.blank_cells == 19 + 35
    assert len(result.warnings) == 3  # the three list rows that name no indicator
    # One file alone again (its indicators' other breakdowns come from another file).
    alone = import_values(
        plan=plan,
        paths=[DRC_DIR / "AllDATANumber.json"],
        mapping=load_mapping(DRC_MAPPING),
        username="coordinator",
    )
    assert alone.reports_changed == 0


# --------------------------------------------------------------------------- Kyrgyzstan


def test_kyrgyz_cycle_has_half_years_and_the_latest_open(demo, db):
    periods = ReportingPeriod.objects.filter(plan__slug="kg-nap-2018").order_by("start")
    assert [(p.label, p.state) for p in periods] == [
        ("2019 H1", "closed"),
        ("2019 H2", "closed"),
        ("2020 H1", "closed"),
        ("2020 H2", "open"),
    ]


def test_kyrgyz_reports_in_every_state_with_reasons_and_history(demo, db):
    reports = {
        r.organisation.acronym: r
        for r in AgencyReport.objects.filter(
            plan__slug="kg-nap-2018", period__label="2020 H2"
        ).select_related("organisation")
    }
    states = {acronym: report.state for acronym, report in reports.items()}
    assert states == {
        "MoES": "draft",
        "LSG Agency": "submitted",
        "MoJ": "returned",
        "MLSD": "approved",
        "MYLE": "approved",
        "MIA": "reopened",
    }
    returned = reports["MoJ"].transitions.get(to_state="returned")
    assert "Legal Aid Centre" in returned.reason and returned.actor.username == "coordinator"
    reopened = reports["MIA"].transitions.get(to_state="reopened")
    assert "personnel statistics" in reopened.reason.lower()
    assert reports["LSG Agency"].transitions.get().actor.username == "focal-lsg"
    for report in reports.values():
        assert AuditEvent.objects.filter(
            object_id=report.pk, event_type="agency_report.created"
        ).exists()
    # Earlier periods: approved only, by the coordinator, submitted by focal points.
    earlier = AgencyReport.objects.filter(plan__slug="kg-nap-2018").exclude(period__label="2020 H2")
    assert earlier.count() == 20
    assert set(earlier.values_list("state", flat=True)) == {"approved"}


def test_reopened_report_keeps_its_approved_values_official(demo, db):
    report = AgencyReport.objects.get(
        plan__slug="kg-nap-2018", period__label="2020 H2", organisation__acronym="MIA"
    )
    share = Indicator.objects.get(plan__slug="kg-nap-2018", code="1a")
    official = IndicatorValue.objects.get(report=report, indicator=share, is_official=True)
    working = IndicatorValue.objects.get(report=report, indicator=share, is_official=False)
    assert (official.numerator, official.denominator) == (1400, 11420)
    assert (working.numerator, working.denominator) == (1412, 11420)  # the correction


def test_focal_user_has_an_editable_report_in_the_open_period(demo, db):
    focal = User.objects.get(username="focal")
    membership = Membership.objects.get(user=focal, plan__slug="kg-nap-2018")
    assert membership.role == Role.FOCAL_POINT
    report = AgencyReport.objects.get(period__label="2020 H2", organisation=membership.organisation)
    assert report.is_editable and report.period.is_open
    assert report.organisation.acronym == "MoES"
    assert ActionUpdate.objects.filter(report=report, is_official=False).exists()


def test_kyrgyz_sex_breakdowns_have_values(demo, db):
    trained = Indicator.objects.get(plan__slug="kg-nap-2018", code="1.2.1a")
    sex_breakdown = next(
        b for b in trained.breakdowns.all() if [d.key for d in b.dimensions.all()] == ["sex"]
    )
    cells = ValueCell.objects.filter(
        breakdown=sex_breakdown, value__is_official=True, value__report__period__label="2019 H2"
    )
    assert {c.key: c.amount for c in cells} == {"women": 71, "men": 49}
    assert (
        "illustrative"
        in IndicatorValue.objects.filter(indicator=trained).first().report.narrative.lower()
    )


def test_demo_import_is_well_under_a_few_seconds(demo, db):
    plan = Plan.objects.get(slug="cd-pan-1325-2")
    assert ReportTransition.objects.filter(report__plan=plan).count() == 3 * 2
    assert demo < 30  # the whole demo, both plans and both cycles
