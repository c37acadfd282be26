"""The `nap1325` command: load-demo (idempotent), serve's argument checks, Django commands."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

COMMAND = shutil.which("nap1325") or str(Path(__file__).resolve().parents[1] / ".venv/bin/nap1325")


def nap1325(tmp_path: Path, *args: str, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    """Run the installed command on a SQLite database in ``tmp_path`` (never the test DB)."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["NAP1325_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [COMMAND, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_load_demo_twice_creates_once_and_prints_the_logins(tmp_path):
    first = nap1325(tmp_path, "load-demo")
    assert first.returncode == 0, first.stderr
    assert "Loaded: National Action Plan of the Kyrgyz Republic" in first.stdout
    assert "Loaded: Plan d'Action National de deuxième génération" in first.stdout
    assert (
        "All-Indicateurs.json: ignored 502 characters after the first JSON document" in first.stdout
    )
    for login in ("admin", "coordinator", "focal", "member", "monitor", "partner"):
        assert f"  {login} " in first.stdout
    assert "nap1325-demo" in first.stdout
    assert (tmp_path / "nap1325.sqlite3").exists()

    second = nap1325(tmp_path, "load_demo")
    assert second.returncode == 0, second.stderr
    assert "Loaded:" not in second.stdout
    assert second.stdout.count("Already there, left as it is") == 4  # plans and their cycles

    counts = nap1325(
        tmp_path,
        "shell",
        "-c",
        "from nap1325.plans.models import *; from nap1325.core.models import *;"
        "print(Plan.objects.count(), Result.objects.count(), Action.objects.count(),"
        " Indicator.objects.count(), BudgetLine.objects.count(), User.objects.count(),"
        " Membership.objects.count(), Organisation.objects.count())",
    )
    assert counts.returncode == 0, counts.stderr
    plans, results, actions, indicators, lines, users, memberships, orgs = map(
        int, counts.stdout.strip().splitlines()[-1].split()
    )
    assert (plans, actions, users) == (2, 12, 6 + 6)  # and six Kyrgyz focal points
    assert results == 3 + 6 + 6  # KG objectives and tasks, DRC axes
    assert indicators == 14 + 38
    assert lines == 11
    assert memberships == 7 + 6
    assert orgs == 17  # UN Women is shared; the Parliament of Georgia visited in 2012


@pytest.mark.parametrize("command", ["serve", "demo"])
@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_serve_and_demo_refuse_a_bad_port_before_doing_anything(tmp_path, command, port):
    result = nap1325(tmp_path, command, "--port", port, timeout=60)
    assert result.returncode != 0
    assert f"--port: '{port}' is not a port number" in result.stderr
    assert not (tmp_path / "nap1325.sqlite3").exists()  # nothing migrated or loaded


def test_every_django_command_is_available(tmp_path):
    result = nap1325(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    help_text = nap1325(tmp_path, "help")
    for command in ("demo", "load_demo", "serve", "migrate", "createsuperuser"):
        assert command in help_text.stdout


def test_unknown_command_answers_with_a_message(tmp_path):
    result = nap1325(tmp_path, "frobnicate")
    assert result.returncode != 0
    assert "Unknown command: 'frobnicate'" in result.stderr


@pytest.mark.parametrize(
    "options, worker, stop",
    [((), True, "SIGINT"), ((), True, "SIGTERM"), (("--no-worker",), False, "SIGINT")],
)
def test_serve_runs_the_task_worker_beside_the_server(tmp_path, options, worker, stop):
    """Reports are built in the background: ``serve`` (and so ``demo``) starts
    ``db_worker`` as its child and stops it with the server, unless ``--no-worker``."""
    import signal
    import socket
    import time
    import urllib.request

    assert nap1325(tmp_path, "migrate").returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["NAP1325_DATA_DIR"] = str(tmp_path)
    env.pop("NAP1325_TASKS", None)
    server = subprocess.Popen(
        [COMMAND, "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/en/public/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children]
        assert any(b"db_worker" in command for command in commands) == worker
    finally:
        server.send_signal(getattr(signal, stop))
        server.wait(timeout=30)
    for pid in children:  # the worker stops with the server
        assert (
            not Path(f"/proc/{pid}").exists()
            or b"db_worker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        )
