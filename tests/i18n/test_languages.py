"""Language in the URL, the switcher, bad language codes, and the catalogue check."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/xx/", "/xx/plans/", "/kg/accounts/login/", "/en-xx/plans/", "/ky/nonsense/", "/ру/"],
)
def test_unknown_language_in_the_url_is_a_clean_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["en", "ru", "ky"])
def test_each_language_serves_its_pages(client, code):
    response = client.get(f"/{code}/accounts/login/")
    assert response.status_code == 200
    assert f'<html lang="{code}">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "language", "expected"),
    [
        ("/ru/accounts/login/?next=/ru/", "ky", "/ky/accounts/login/?next=/ru/"),
        ("/ky/accounts/login/", "en", "/en/accounts/login/"),
        ("/en/accounts/login/", "ru", "/ru/accounts/login/"),
    ],
)
def test_switcher_keeps_the_page(client, page, language, expected):
    html = client.get(page).content.decode()
    assert f'name="next" type="hidden" value="{page}"' in html
    current = page.split("/")[1]
    assert f'value="{current}" lang="{current}" class="lang-button" aria-current="true"' in html
    response = client.post("/i18n/switch/", {"language": language, "next": page})
    assert (response.status_code, response["Location"]) == (302, expected)
    assert client.cookies["django_language"].value == language


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["xx", "", "kg", "en' or 1=1", "ky" * 100])
def test_bad_language_codes_are_handled(client, code):
    for view in ("/i18n/setlang/", "/i18n/switch/"):
        response = client.post(view, {"language": code, "next": "/ru/accounts/login/"})
        assert (response.status_code, response["Location"]) == (302, "/ru/accounts/login/")
    response = client.post("/i18n/switch/", {"language": "ky", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/ru/accounts/login/", {"language": code}).status_code == 200
    client.cookies["django_language"] = code
    assert client.get("/").status_code == 302


def _check_module():
    spec = importlib.util.spec_from_file_location("check", ROOT / "scripts/check_translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PO = """msgid ""
msgstr ""
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Language: ru\\n"

msgid "Dashboard"
msgstr "Панель"

{extra}
"""


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('#, fuzzy\nmsgid "Sign in"\nmsgstr "Войти"', "fuzzy"),
        ('msgid "Sign in"\nmsgstr ""', "untranslated"),
        ('msgid "Plan %(name)s"\nmsgstr "План"', "msgfmt failed"),
        ("", None),
    ],
)
def test_catalogue_check(tmp_path, extra, problem):
    check = _check_module()
    po = tmp_path / "ru" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO.format(extra=("#, python-format\n" + extra) if "%(" in extra else extra))
    import subprocess

    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=False)
    problems = check.check_catalogue(po, tmp_path, {"Dashboard"})
    if problem is None:
        assert problems == []
    else:
        assert any(problem in line for line in problems), problems
    assert check.check_catalogue(po, tmp_path, {"Dashboard", "Reports"})[0].endswith(
        "1 messages missing, e.g. ['Reports']"
    )


def test_check_covers_english_when_it_has_a_catalogue(tmp_path):
    check = _check_module()
    assert check.locales(tmp_path) == ["ru", "ky"]
    english = tmp_path / "locale" / "en" / "LC_MESSAGES"
    english.mkdir(parents=True)
    (english / "django.po").write_text(PO.format(extra=""))
    assert check.locales(tmp_path) == ["ru", "ky", "en"]
