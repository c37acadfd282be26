"""``import-values``: numbers the database cannot store exactly, and XLSX formulas without a
computed value, are problems named by file, row and column, and nothing is written.

Quantities hold at most 15 significant digits, 4 of them decimals
(:func:`nap1325.monitoring.services.storable_problem`); larger numbers, ``NaN`` and
infinities used to stop the import with a traceback. A formula cell a program wrote
without computing it used to read as blank: a value silently lost.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.db import connections
from openpyxl import Workbook

from nap1325.cli import main
from nap1325.monitoring.models import AgencyReport, IndicatorValue
from tests.interchange.test_values_import import (
    ARMY_2021,
    HEADER,
    MAPPING,
    cells,
    failure,
    official,
    run,
    write,
)

RATIO_MAPPING = {"indicator": "Indicateur", "period": "Année", "numerator": "Num",
                 "denominator": "Den"}  # fmt: skip
TOO_LARGE = "This number is too large (at most 11 digits before the decimal point)."
DECIMALS = "Use at most 4 decimal places."


def nothing_written() -> bool:
    return not IndicatorValue.objects.exists() and not AgencyReport.objects.exists()


# --------------------------------------------------------------------------- CSV

CSV_VALUES = [
    ("999999999999999999", TOO_LARGE),
    ("10000000000000000000000000", TOO_LARGE),
    ("100000000000", TOO_LARGE),  # 12 digits before the point
    ("1.23456", DECIMALS),
    ("0.00001", DECIMALS),
    ("NaN", "Enter a number, not “NaN”."),
    ("1e400", "Enter a number, not “1e400”."),
]


@pytest.mark.parametrize(("value", "message"), CSV_VALUES)
def test_a_csv_value_the_database_cannot_store_is_a_problem(target, tmp_path, value, message):
    path = write(tmp_path, "big.csv", [HEADER, ARMY_2021[0], f"2021,W1,Généraux,Homme,,{value}"])
    assert failure(target, [path]) == [f"big.csv row 3, column Valeur (F): {message}"]
    assert nothing_written()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("P1,2022,1,999999999999999999", f"Den (D): {TOO_LARGE}"),
        ("P1,2022,0.00001,3", f"Num (C): {DECIMALS}"),
    ],
)
def test_a_numerator_or_denominator_the_database_cannot_store(target, tmp_path, row, message):
    path = write(tmp_path, "ratio.csv", ["Indicateur,Année,Num,Den", row])
    assert failure(target, [path], RATIO_MAPPING) == [f"ratio.csv row 2, column {message}"]
    assert nothing_written()


def test_the_largest_storable_numbers_are_imported_exactly(target, tmp_path):
    path = write(
        tmp_path,
        "edge.csv",
        [HEADER, "2021,W1,Généraux,Femme,,49999999999.9999", "2021,W1,Généraux,Homme,,50000000000"],
    )
    run(target, [path])
    value = official(target.army, target.y2021)
    assert cells(value) == {
        "generaux|women": Decimal("49999999999.9999"),
        "generaux|men": Decimal("50000000000"),
    }
    assert value.value == Decimal("99999999999.9999")  # their sum: 15 digits, 4 decimals


def test_cells_whose_sum_the_database_cannot_store_are_refused_on_their_rows(target, tmp_path):
    path = write(
        tmp_path,
        "sum.csv",
        [HEADER, "2021,W1,Généraux,Femme,,99999999999", "2021,W1,Généraux,Homme,,1"],
    )
    errors = failure(target, [path])
    assert [error.split(": ", 1)[0] for error in errors] == [
        "sum.csv row 2, column Valeur (F)",
        "sum.csv row 3, column Valeur (F)",
    ]
    assert all(error.endswith(TOO_LARGE) for error in errors)
    assert nothing_written()


def test_the_command_names_the_row_and_exits_with_1_not_a_traceback(
    target, tmp_path, capsys, monkeypatch
):
    path = write(tmp_path, "big.csv", [HEADER, "2021,W1,Généraux,Femme,,999999999999999999"])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(connections, "close_all", lambda: None)  # see test_values_import.py
    with pytest.raises(SystemExit) as exit_status:
        main(["nap1325", "import-values", "cd-test", str(path), "--mapping", str(mapping),
              "--as", "coordinator"])  # fmt: skip
    assert exit_status.value.code == 1
    err = capsys.readouterr().err
    assert f"big.csv row 2, column Valeur (F): {TOO_LARGE}" in err
    assert "Traceback" not in err
    assert nothing_written()


# --------------------------------------------------------------------------- JSON

JSON_VALUES = [
    ("NaN", "Valeur: Enter a number, not “nan”."),
    ("Infinity", "Valeur: Enter a number, not “inf”."),
    ("-Infinity", "Valeur: Enter a number, not “-inf”."),
    ("1e400", f"Valeur: {TOO_LARGE}"),
    ("1e-400", f"Valeur: {DECIMALS}"),
    ("999999999999999999", f"Valeur: {TOO_LARGE}"),
    ("0.123456", f"Valeur: {DECIMALS}"),
]


@pytest.mark.parametrize(("number", "message"), JSON_VALUES)
def test_a_bare_json_number_the_database_cannot_store_is_a_problem(
    target, tmp_path, number, message
):
    path = tmp_path / "numbers.json"
    path.write_text(
        '[{"Année": 2021, "Indicateur": "W1", "Cible": "Généraux", "Sexe": "Femme", '
        '"Province": "", "Valeur": 8},\n'
        f' {{"Année": 2021, "Indicateur": "W1", "Cible": "Généraux", "Sexe": "Homme", '
        f'"Province": "", "Valeur": {number}}}]',
        encoding="utf-8",
    )
    assert failure(target, [path]) == [f"numbers.json row 3, column {message}"]
    assert nothing_written()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e400"])
def test_a_bare_json_number_as_the_period_is_an_unknown_period(target, tmp_path, number):
    path = tmp_path / "period.json"
    path.write_text(
        f'[{{"Année": {number}, "Indicateur": "W1", "Cible": "", "Sexe": "", "Province": "", '
        '"Valeur": 3}]',
        encoding="utf-8",
    )
    [error] = failure(target, [path])
    assert error.startswith("period.json row 2, column Année: Unknown period “")
    assert nothing_written()


# --------------------------------------------------------------------------- XLSX formulas

UNCOMPUTED = (
    "formula without a computed value ({formula}): open the file in a spreadsheet program "
    "and save it again."
)


def workbook(tmp_path: Path, rows: list[list[object]], name: str = "army.xlsx") -> Path:
    """An XLSX written by openpyxl, which stores formulas without computing them."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


XLSX_HEADER = ["Année", "Indicateur", "Cible", "Sexe", "Province", "Valeur"]
XLSX_FORMULAS = [
    (
        [[2021, "W1", "Généraux", "Femme", None, "=2+3"]],
        ["army.xlsx row 2, column Valeur (F): " + UNCOMPUTED.format(formula="=2+3")],
    ),
    (
        [
            [2021, "W1", "Généraux", "Femme", None, 8],
            ["=2020+1", "W1", "Généraux", "Homme", None, "=F2*15"],
        ],
        [
            "army.xlsx row 3, column Année (A): " + UNCOMPUTED.format(formula="=2020+1"),
            "army.xlsx row 3, column Valeur (F): " + UNCOMPUTED.format(formula="=F2*15"),
        ],
    ),
    (
        [[2021, '=UPPER("w1")', None, None, "Ituri", 4]],
        ["army.xlsx row 2, column Indicateur (B): " + UNCOMPUTED.format(formula='=UPPER("w1")')],
    ),
    (
        [[2021, "W1", "=C1", "Femme", None, 8]],
        ["army.xlsx row 2, column Cible (C): " + UNCOMPUTED.format(formula="=C1")],
    ),
]


@pytest.mark.parametrize(("rows", "errors"), XLSX_FORMULAS)
def test_a_formula_without_a_computed_value_is_a_problem_not_a_blank(
    target, tmp_path, rows, errors
):
    path = workbook(tmp_path, [XLSX_HEADER, *rows])
    assert failure(target, [path]) == errors
    assert nothing_written()


def test_a_formula_in_an_unmapped_column_is_not_read(target, tmp_path):
    path = workbook(
        tmp_path, [[*XLSX_HEADER, "Notes"], [2021, "W1", "Généraux", "Femme", None, 8, "=1+1"]]
    )
    run(target, [path])
    assert cells(official(target.army, target.y2021)) == {"generaux|women": 8}


def test_a_formula_in_the_header_is_a_problem(target, tmp_path):
    path = workbook(
        tmp_path, [[*XLSX_HEADER[:5], '="Val"&"eur"'], [2021, "W1", None, None, "Ituri", 3]]
    )
    assert failure(target, [path]) == [
        "army.xlsx row 1, column F: " + UNCOMPUTED.format(formula='="Val"&"eur"')
    ]


def test_a_formula_with_its_computed_value_is_read(target, tmp_path):
    """As a spreadsheet program saves it: the formula and its cached result."""
    path = workbook(tmp_path, [XLSX_HEADER, [2021, "W1", "Généraux", "Femme", None, "=2+3"]])
    computed = tmp_path / "computed.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(computed, "w") as target_zip:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes an empty cached value as <v /> or <v></v> (with lxml).
                data, count = re.subn(rb"<f>2\+3</f><v\s*(/>|></v>)", b"<f>2+3</f><v>5</v>", data)
                assert count == 1
            target_zip.writestr(item, data)
    run(target, [computed])
    assert cells(official(target.army, target.y2021)) == {"generaux|women": 5}
