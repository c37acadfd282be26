"""Fail when a catalogue (ru, ky) has an untranslated or fuzzy message, or is stale.

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
LOCALES = ["ru", "ky"]


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
        for locale in LOCALES:
            po = PACKAGE / "locale" / locale / "LC_MESSAGES" / "django.po"
            mo = po.with_suffix(".mo")
            missing = fresh - msgids(po)
            if missing:
                problems.append(
                    f"{po}: {len(missing)} messages missing, e.g. {sorted(missing)[:3]}"
                )
            stats = subprocess.run(
                [
                    "msgfmt",
                    "--check",
                    "--statistics",
                    "-o",
                    str(Path(tmp) / f"{locale}.mo"),
                    str(po),
                ],
                capture_output=True,
                text=True,
            )
            if stats.returncode != 0:
                problems.append(f"{po}: msgfmt failed: {stats.stderr.strip()}")
                continue
            if "fuzzy" in stats.stderr or "untranslated" in stats.stderr:
                problems.append(f"{po}: {stats.stderr.strip()}")
            if not mo.exists() or catalogue(mo) != catalogue(Path(tmp) / f"{locale}.mo"):
                problems.append(f"{mo}: stale or missing; run `nap1325 compilemessages`")
    for problem in problems:
        print(problem)
    print("translations: " + ("FAILED" if problems else "complete and compiled"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
