"""Production needs FEED_API_KEY: the deploy check refuses it empty, and start-up refuses it weak."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from porch.integrations.checks import DEVELOPMENT_KEY, feed_api_key_check

ROOT = Path(__file__).resolve().parents[3]
STRONG = "k3Jq9vXw2Lr8Tz5Nb7Hc4Md6Pf1Gs0Ya"


@pytest.mark.parametrize(
    ("debug", "key", "errors"),
    [
        (False, "", ["integrations.E001"]),
        (False, DEVELOPMENT_KEY, ["integrations.E002"]),
        (False, STRONG, []),
        (True, "", []),
    ],
)
def test_the_deploy_check_refuses_a_missing_or_development_key(settings, debug: bool, key: str, errors: list) -> None:
    settings.DEBUG, settings.FEED_API_KEY = debug, key
    assert [message.id for message in feed_api_key_check()] == errors


def production(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`manage.py check --deploy` as `make deploy-check` runs it, with this environment."""
    base = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "DATABASE_URL", "FEED_API_KEY")}
    base |= {
        "DEBUG": "0",
        "SECRET_KEY": "s" * 20 + "ecret-key-of-some-length-enough",
        "AUDIT_KEY": "a" * 20 + "udit-key-of-some-length-enough",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "ALLOWED_HOSTS": "porch.example.org",
    }
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"]
    return subprocess.run(command, cwd=ROOT, env=base | env, capture_output=True, text=True, check=False)


def test_make_deploy_check_fails_without_the_key_and_passes_with_one(tmp_path: Path) -> None:
    missing = production(tmp_path)
    assert missing.returncode != 0
    assert "integrations.E001" in missing.stderr
    assert production(tmp_path, FEED_API_KEY=STRONG).returncode == 0


def test_a_weak_key_stops_start_up(tmp_path: Path) -> None:
    weak = production(tmp_path, FEED_API_KEY="x" * 40)
    assert weak.returncode != 0
    assert "FEED_API_KEY must be a random string of at least 32 characters" in weak.stderr
