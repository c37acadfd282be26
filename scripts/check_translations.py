"""Fail when a catalogue (en, ru, ky) has an untranslated or fuzzy message, or is stale.

English is the source language: the msgids are the English texts, so English needs no
catalogue of its own. If ``locale/en/LC_MESSAGES/django.po`` exists (to reword a source
text without touching the code), it is checked like the others: nothing fuzzy, nothing
untranslated, nothing missing, compiled. Each locale in ``settings.LANGUAGES`` other than
English must have a catalogue.

Stale: the committed .mo does not hold what its .po says (run ``nap1325 compilemessages``),
or the .po lacks a message the code uses (run ``nap1325 makemessages -l ru -l ky`` in
src/nap1325, translate, compile). Needs GNU gettext (msgfmt, xgettext).
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "nap1325"
#: Catalogues that must exist; "en" is checked too when it has one (see above).
LOCALES = ["ru", "ky"]
SOURCE_LANGUAGE = "en"


def locales(package: Path) -> list[str]:
    """The catalogues to check: ru and ky, and en when the package has one."""
    english = package / "locale" / SOURCE_LANGUAGE / "LC_MESSAGES" / "django.po"
    return LOCALES + ([SOURCE_LANGUAGE] if english.exists() else [])


def check_catalogue(po: Path, workdir: Path, fresh: set[str] | None = None) -> list[str]:
    """Problems of one catalogue: missing messages (``fresh`` minus its msgids), msgfmt
    errors, fuzzy or untranslated entries, a stale or missing .mo beside it."""
    problems: list[str] = []
    if not po.exists():
        return [f"{po}: missing"]
    mo = po.with_suffix(".mo")
    missing = (fresh or set()) - msgids(po)
    if missing:
        problems.append(f"{po}: {len(missing)} messages missing, e.g. {sorted(missing)[:3]}")
    compiled = workdir / f"{po.parent.parent.name}.mo"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
    )
    if stats.returncode != 0:
        problems.append(f"{po}: msgfmt failed: {stats.stderr.strip()}")
        return problems
    if re.search(r"\b\d+ (fuzzy translations?|untranslated messages?)", stats.stderr):
        problems.append(f"{po}: {stats.stderr.strip()}")
    if not mo.exists() or catalogue(mo) != catalogue(compiled):
        problems.append(f"{mo}: stale or missing; run `nap1325 compilemessages`")
    return problems


def catalogue(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def msgids(po: Path) -> set[str]:
    text = po.read_text(encoding="utf-8")
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.M):
        ids.add("".join(re.findall(r'"(.*)"', block)))
    return ids - {""}


def main() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        # Fresh extraction into a copy, to find messages the committed .po lacks.
        copy = Path(tmp) / "nap1325"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nap1325.settings"}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                "ru",
                "--ignore",
                "measurement/*",
            ],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        fresh = msgids(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po")
        for locale in locales(PACKAGE):
            po = PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.po"
            problems += check_catalogue(po, Path(tmp), fresh)
    for problem in problems:
        print(problem)
    print("translations: " + ("FAILED" if problems else "complete and compiled"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
