"""``nap1325 import-values``: CSV, XLSX and JSON; the mapping; bad rows; all-or-nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from openpyxl import Workbook

from nap1325.cli import main
from nap1325.core.models import AuditEvent
from nap1325.interchange.values_import import (
    ImportFailed,
    ImportResult,
    import_values,
    load_mapping,
    parse_mapping,
)
from nap1325.monitoring import services
from nap1325.monitoring.models import AgencyReport, IndicatorValue, ReportTransition, ValueCell
from nap1325.monitoring.services import ValueInput

MAPPING: dict[str, Any] = {
    "indicator": "Indicateur",
    "period": "Année",
    "value": "Valeur",
    "categories": {"Cible": "category", "Sexe": "sex", "Province": "province"},
    "aliases": {"sex": {"Femme": "women", "Homme": "men"}, "category": {"En Général": "total"}},
}
HEADER = "Année,Indicateur,Cible,Sexe,Province,Valeur"
ARMY_2021 = [
    "2021,Nombre de femmes dans l'armée,Généraux,Femme,,8",
    "2021,Nombre de femmes dans l'armée,Généraux,Homme,,120",
    "2021,Nombre de femmes dans l'armée,Supérieurs,Femme,,164",
    "2021,Nombre de femmes dans l'armée,Supérieurs,Homme,,",
]


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def run(target, paths: list[Path], mapping: dict[str, Any] | None = None, **options: Any):
    options.setdefault("username", "coordinator")
    return import_values(
        plan=target.plan, paths=paths, mapping=parse_mapping(mapping or MAPPING), **options
    )


def failure(target, paths: list[Path], mapping: dict[str, Any] | None = None, **options):
    with pytest.raises(ImportFailed) as caught:
        run(target, paths, mapping, **options)
    return caught.value.errors


def official(indicator, period) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(
        indicator=indicator, report__period=period, is_official=True
    ).first()


def cells(value: IndicatorValue) -> dict[str, Decimal]:
    return {cell.key: cell.amount for cell in ValueCell.objects.filter(value=value)}


# --------------------------------------------------------------------------- formats


def test_csv_with_bom_gives_rank_by_sex_cells_and_their_sum(target, tmp_path):
    path = write(tmp_path, "armee.csv", [HEADER, *ARMY_2021])
    result = run(target, [path])
    value = official(target.army, target.y2021)
    assert value is not None
    assert cells(value) == {"generaux|women": 8, "generaux|men": 120, "superieurs|women": 164}
    # The blank "Supérieurs, Homme" is not reported: no cell, never 0; the total is 292.
    assert value.value == Decimal(292)
    report = value.report
    assert report.state == AgencyReport.State.APPROVED
    assert report.organisation == target.secretariat  # the plan's coordinating body
    assert report.approved_by == target.coordinator
    assert report.transitions.last().reason == "import of armee.csv"
    assert (result.rows_read, result.blank_cells, result.values_written) == (4, 1, 1)
    assert result.reports_changed == 1
    assert "1 reports changed" in result.summary_lines()


def test_semicolon_csv_without_bom_and_decimal_comma(target, tmp_path):
    path = write(
        tmp_path,
        "share.csv",
        ["Indicateur;Année;Num;Den", "P1;2022;40,5;220", "P1;2021;;"],
        encoding="utf-8",
    )
    mapping = {"indicator": "Indicateur", "period": "Année", "numerator": "Num",
               "denominator": "Den"}  # fmt: skip
    result = run(target, [path], mapping)
    value = official(target.share, target.y2022)
    assert (value.numerator, value.denominator) == (Decimal("40.5"), Decimal(220))
    assert official(target.share, target.y2021) is None  # only blanks: no value at all
    assert result.blank_cells == 1


def test_xlsx_first_sheet_or_named_sheet(target, tmp_path):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["Nothing here"])
    data = workbook.create_sheet("Données")
    data.append(["Année", "Indicateur", "Cible", "Sexe", "Province", "Valeur"])
    data.append([2022, "W1", "Généraux", "Femme", None, 8])
    data.append([2022, "W1", "Généraux", "Homme", None, 233.0])
    data.append([2022, "W1", "En Général", None, None, 241])
    data.append([None, None, None, None, None, None])  # an empty row is skipped
    data.append(["2023 h1", "w1", None, None, "Ituri", 3])
    path = tmp_path / "army.xlsx"
    workbook.save(path)

    errors = failure(target, [path])  # the first sheet lacks the columns
    assert errors[0].startswith("army.xlsx row 1, column Indicateur: no such column")

    result = run(target, [path], sheet="Données")
    value = official(target.army, target.y2022)
    assert value.value == Decimal(241)  # the given total ("En Général" is the total row)
    assert cells(value) == {"generaux|women": 8, "generaux|men": 233}
    half = official(target.army, target.h1)
    assert half.value == Decimal(3) and cells(half) == {"ituri": 3}
    assert result.rows_read == 4 and result.reports_changed == 2


def test_json_list_with_a_stray_second_document_is_a_warning(target, tmp_path):
    rows = [
        {"Année": "2021", "Indicateur": "Nombre de femmes  dans l'ARMÉE ", "Cible": "Généraux",
         "Sexe": "Femme", "Province": "", "Valeur": "8"},
        {"Année": "2021", "Indicateur": "Nombre de femmes dans l'armée", "Cible": "generaux",
         "Sexe": "men", "Province": "", "Valeur": "120"},
    ]  # fmt: skip
    path = tmp_path / "numbers.json"
    path.write_text(json.dumps(rows) + '\n{"stray": true}\n', encoding="utf-8")
    result = run(target, [path])
    assert cells(official(target.army, target.y2021)) == {"generaux|women": 8, "generaux|men": 120}
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("numbers.json: ignored 15 characters after the first")
    assert "(starting at character" in result.warnings[0]


def test_yes_no_as_text_keeps_the_list_as_comment(target, tmp_path):
    rows = [
        {"Année": "2022", "Indicateur": "Laws on gender equality", "LMMA": "Loi n° 15/013"},
        {"Année": "2022", "Indicateur": "L1", "LMMA": "Constitution, art. 14"},
        {"Année": "2021", "Indicateur": "L1", "LMMA": " "},
        {"Année": "2021", "Indicateur": "", "LMMA": "A list without an indicator"},
    ]
    path = tmp_path / "listes.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    mapping = {"indicator": "Indicateur", "period": "Année", "value": "LMMA", "yes_no": "text"}
    result = run(target, [path], mapping)
    value = official(target.law, target.y2022)
    assert value.yes_no is True
    assert value.comment == "Loi n° 15/013\n\nConstitution, art. 14"
    assert official(target.law, target.y2021) is None
    assert result.warnings == ["listes.json row 5: no indicator named; the row is skipped."]


def test_yes_no_flags_stages_and_an_organisation_column(target, tmp_path):
    path = write(
        tmp_path,
        "mixed.csv",
        [
            "Indicator,Period,Organisation,Value",
            "L1,2021,MoD,oui",
            "S1,2021,Ministry of Defence,Adopted",
        ],
    )
    mapping = {"indicator": "Indicator", "period": "Period", "value": "Value",
               "organisation": "Organisation"}  # fmt: skip
    run(target, [path], mapping)
    law, strategy = official(target.law, target.y2021), official(target.strategy, target.y2021)
    assert law.yes_no is True and strategy.stage == 1
    assert law.report == strategy.report and law.report.organisation == target.ministry


def test_mapping_file_with_a_section_per_file(target, tmp_path):
    numbers = write(tmp_path, "numbers.csv", [HEADER, *ARMY_2021])
    provinces = write(
        tmp_path, "provinces.csv", ["Année,Indicateur,Province,Valeur", "2021,W1,Nord Kivu,7"]
    )
    mapping_path = tmp_path / "mapping.yaml"
    mapping_path.write_text(
        yaml.safe_dump(
            {
                "indicator": "Indicateur",
                "period": "Année",
                "value": "Valeur",
                "aliases": MAPPING["aliases"],
                "files": {
                    "numbers.csv": {"categories": MAPPING["categories"]},
                    "provinces.csv": {"categories": {"Province": "province"}},
                },
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    mapping = load_mapping(mapping_path)
    result = import_values(
        plan=target.plan, paths=[numbers, provinces], mapping=mapping, username="coordinator"
    )
    value = official(target.army, target.y2021)
    # Two breakdowns that disagree: the total is the larger sum (292), the other is incomplete.
    assert value.value == Decimal(292)
    assert cells(value)["nord-kivu"] == 7
    assert any("add up to different totals (292, 7)" in w for w in result.warnings)
    again = import_values(
        plan=target.plan, paths=[provinces], mapping=mapping, username="coordinator"
    )
    assert again.reports_changed == 0  # one file of two again: nothing changes


# --------------------------------------------------------------------------- bad input

BAD_ROWS = [
    (
        "2021,Nombre de soldats,Généraux,Femme,,8",
        "bad.csv row 3, column Indicateur (B): Unknown indicator “Nombre de soldats”: "
        "no indicator of plan cd-test has this code or title.",
    ),
    (
        "2019,W1,Généraux,Femme,,8",
        "bad.csv row 3, column Année (A): Unknown period “2019” "
        "(periods of this plan: 2021, 2022, 2023 H1).",
    ),
    (
        "2021,W1,Colonels,Femme,,8",
        "bad.csv row 3, column Cible (C): Unknown category “Colonels” (not a category of Armée).",
    ),
    (
        "2021,W1,Généraux,Enfant,,8",
        "bad.csv row 3, column Sexe (D): Unknown category “Enfant” (not a category of Sex).",
    ),
    (
        "2021,W1,Généraux,Femme,,huit",
        "bad.csv row 3, column Valeur (F): Enter a number, not “huit”.",
    ),
    (
        '2021,W1,Généraux,Femme,,"1,234"',
        "bad.csv row 3, column Valeur (F): "
        "Enter the number without thousands separators (“1,234”).",
    ),
    (
        "2021,W1,Généraux,Femme,Ituri,8",
        "bad.csv row 3, column Province (E): Indicator W1 has no breakdown by Armée × Sex × "
        "Province (its breakdowns: Armée × Sex, Province).",
    ),
    (
        "2021,W1,Généraux,Femme,,8",
        "bad.csv row 3, column Valeur (F): A second value for the same categories "
        "(first on bad.csv row 2).",
    ),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_row_is_named_and_nothing_is_written(target, tmp_path, row, message):
    path = write(tmp_path, "bad.csv", [HEADER, ARMY_2021[0], row, *ARMY_2021[1:]])
    errors = failure(target, [path])
    assert errors == [message]
    assert not IndicatorValue.objects.exists()
    assert not AgencyReport.objects.exists()


RATIO = "ratio.csv row 2, column"
RATIO_ROWS = [
    ("P1,2022,50,40", f"{RATIO} Num (C): The numerator (50) is larger than the denominator (40)."),
    ("P1,2022,5,0", f"{RATIO} Den (D): The denominator must be more than 0."),
    ("P1,2022,5,", f"{RATIO} Den (D): Give both the numerator and the denominator."),
    ("P1,2022,cinq,40", f"{RATIO} Num (C): Enter a number, not “cinq”."),
]


@pytest.mark.parametrize(("row", "message"), RATIO_ROWS)
def test_bad_ratios_are_named(target, tmp_path, row, message):
    path = write(tmp_path, "ratio.csv", ["Indicateur,Année,Num,Den", row, "P1,2021,40,220"])
    mapping = {"indicator": "Indicateur", "period": "Année", "numerator": "Num",
               "denominator": "Den"}  # fmt: skip
    assert failure(target, [path], mapping) == [message]
    assert not IndicatorValue.objects.exists()


def test_every_bad_row_is_listed_at_once(target, tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        [HEADER, "2021,W1,Généraux,Femme,,x", *ARMY_2021[1:], "2030,W1,Généraux,Homme,,1"],
    )
    errors = failure(target, [path])
    assert [e.split(":")[0] for e in errors] == [
        "bad.csv row 2, column Valeur (F)",
        "bad.csv row 6, column Année (A)",
    ]


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "Unknown user nobody."),
        (
            "focal",
            "focal is not a coordinator of plan cd-test; only coordinators import values.",
        ),
    ],
)
def test_only_a_coordinator_imports(target, tmp_path, username, message):
    path = write(tmp_path, "armee.csv", [HEADER, *ARMY_2021])
    assert failure(target, [path], username=username) == [message]
    assert not IndicatorValue.objects.exists()


def test_wrong_file_type_and_missing_file(target, tmp_path):
    text = write(tmp_path, "values.txt", [HEADER])
    errors = failure(target, [text, tmp_path / "missing.csv"])
    assert (
        errors[0] == "values.txt: the file type is not one this import reads (CSV, XLSX or JSON)."
    )
    assert errors[1].endswith("missing.csv: no such file.")


# --------------------------------------------------------------------------- rules


def test_second_run_changes_nothing(target, tmp_path):
    path = write(tmp_path, "armee.csv", [HEADER, *ARMY_2021])
    run(target, [path])
    events = AuditEvent.objects.count()
    transitions = ReportTransition.objects.count()
    again = run(target, [path])
    assert (again.reports_changed, again.values_written) == (0, 0)
    assert "0 reports changed" in again.summary_lines()
    assert AuditEvent.objects.count() == events
    assert ReportTransition.objects.count() == transitions


def test_dry_run_writes_nothing_but_counts(target, tmp_path):
    path = write(tmp_path, "armee.csv", [HEADER, *ARMY_2021])
    result = run(target, [path], dry_run=True)
    assert (result.reports_changed, result.values_written) == (1, 1)
    assert "Dry run: nothing was written." in result.summary_lines()
    assert not AgencyReport.objects.exists()
    assert not AuditEvent.objects.filter(event_type__startswith="agency_report").exists()


def test_a_submitted_report_is_refused_on_its_rows(target, tmp_path):
    report = services.agency_report_open(
        actor=target.coordinator, period=target.y2021, organisation=target.secretariat
    )
    report = services.agency_report_save(
        actor=target.coordinator,
        report=report,
        version=report.version,
        values={target.army.pk: ValueInput(value=Decimal(5))},
    )
    services.agency_report_submit(actor=target.coordinator, report=report, version=report.version)
    path = write(tmp_path, "armee.csv", [HEADER, *ARMY_2021[:2], "2022,W1,,,Ituri,4"])
    errors = failure(target, [path])
    message = (
        "column Valeur (F): 2021, Secrétariat National 1325: This report is submitted and "
        "waiting for review; it cannot be changed."
    )
    assert errors == [f"armee.csv row 2, {message}", f"armee.csv row 3, {message}"]
    # All-or-nothing: the 2022 report, which alone would have been accepted, is not written.
    assert not AgencyReport.objects.filter(period=target.y2022).exists()


def test_an_approved_report_with_other_values_is_refused(target, tmp_path):
    path = write(tmp_path, "armee.csv", [HEADER, *ARMY_2021])
    run(target, [path])
    changed = write(
        tmp_path, "armee.csv", [HEADER, *ARMY_2021[:3], "2021,W1,Supérieurs,Homme,,6833"]
    )
    errors = failure(target, [changed])
    assert len(errors) == 4
    assert errors[0].endswith(
        "2021, Secrétariat National 1325: This report is already approved; "
        "ask the coordinator to reopen it."
    )
    assert official(target.army, target.y2021).value == Decimal(292)  # unchanged


# --------------------------------------------------------------------------- command


def test_command_prints_the_summary(target, tmp_path, capsys):
    path = write(tmp_path, "armee.csv", [HEADER, *ARMY_2021])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    call_command(
        "import_values", "cd-test", str(path), mapping=str(mapping), username="coordinator"
    )
    out = capsys.readouterr().out
    assert "Rows read: 4" in out and "Blank cells (not reported): 1" in out
    assert "1 reports changed" in out


def test_command_exit_status_and_every_bad_row(target, tmp_path, capsys, monkeypatch):
    path = write(tmp_path, "bad.csv", [HEADER, "2021,W1,Généraux,Femme,,x", "2030,W1,,,,1"])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="2 problem"):
        call_command(
            "import_values", "cd-test", str(path), mapping=str(mapping), username="coordinator"
        )
    # run_from_argv closes every connection when a command fails, which on PostgreSQL would
    # close the test's own transaction; the command's output and exit status are what we test.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_status:
        main(["nap1325", "import-values", "cd-test", str(path), "--mapping", str(mapping),
              "--as", "coordinator"])  # fmt: skip
    assert exit_status.value.code == 1
    err = capsys.readouterr().err
    assert "bad.csv row 2, column Valeur (F): Enter a number, not “x”." in err
    assert "bad.csv row 3, column Année (A): Unknown period “2030”" in err
    assert not IndicatorValue.objects.exists()


def test_a_malformed_mapping_is_refused(target):
    with pytest.raises(ImportFailed) as caught:
        parse_mapping({"indicator": "I", "colour": "red"})
    assert caught.value.errors == [
        "mapping: unknown key colour.",
        "mapping: name the period column (period: COLUMN).",
        "mapping: name the value column, or the numerator and denominator columns.",
    ]


def test_result_summary_lists_every_count():
    result = ImportResult(files=["a.csv", "b.json"], rows_read=3, blank_cells=1, warnings=["w"])
    assert result.summary_lines() == [
        "Files: a.csv, b.json",
        "Rows read: 3",
        "Blank cells (not reported): 1",
        "Values written: 0",
        "0 reports changed",
        "Warnings: 1",
    ]


def test_organisation_option_and_a_year_that_no_period_covers_whole(target, tmp_path):
    path = write(tmp_path, "h1.csv", [HEADER, "2023,W1,,,Ituri,3"])
    errors = failure(target, [path], organisation="MoD")
    # "2023 H1" is not the whole calendar year 2023.
    assert errors == [
        "h1.csv row 2, column Année (A): Unknown period “2023” "
        "(periods of this plan: 2021, 2022, 2023 H1)."
    ]
    assert failure(target, [path], organisation="Ministry of Peace") == [
        "Unknown organisation Ministry of Peace (give its exact name or acronym)."
    ]
    ok = write(tmp_path, "h1.csv", [HEADER, "2023 H1,W1,,,Ituri,3"])
    run(target, [ok], organisation="ministry of defence")
    assert official(target.army, target.h1).report.organisation == target.ministry
