"""Settings come from the environment; production refuses unsafe configurations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = (
    "import django, os; from django.conf import settings; django.setup(); "
    "print(settings.DATABASES['default']['ENGINE']); print(settings.DEBUG)"
)


def run_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "NAP1325_ENV", "ALLOWED_HOSTS"}
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "nap1325.settings", "NAP1325_DATA_DIR": str(tmp_path)})
    clean.update(env)
    return subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True)


def test_embedded_default_is_sqlite_with_a_generated_secret_kept_in_the_data_dir(tmp_path):
    first = run_settings(tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[0] == "django.db.backends.sqlite3"
    secret = (tmp_path / "secret_key").read_text()
    assert len(secret) >= 50
    assert run_settings(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == secret  # kept, not regenerated


def test_database_url_selects_postgresql(tmp_path):
    result = run_settings(tmp_path, DATABASE_URL="postgres://nap:pw@db.example.org:5432/nap1325")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DEBUG": "1", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "nap.example.org"},
            "DEBUG must be off",
        ),
        ({"ALLOWED_HOSTS": "nap.example.org"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_to_start_unsafely(tmp_path, env, message):
    result = run_settings(tmp_path, NAP1325_ENV="production", **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_starts_with_a_secret_and_hosts(tmp_path):
    result = run_settings(
        tmp_path, NAP1325_ENV="production", SECRET_KEY="s" * 50, ALLOWED_HOSTS="nap.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "False"


def test_unknown_deployment_name_is_refused(tmp_path):
    result = run_settings(tmp_path, NAP1325_ENV="staging")
    assert result.returncode != 0
    assert "NAP1325_ENV must be 'embedded' or 'production'" in result.stderr
