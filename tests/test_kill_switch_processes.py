"""The kill switch reaches every app server within one second.

Two gunicorn servers share one database. A switch is thrown from a third
process; any request that arrives a second later, at either server, must
get the 'unavailable' page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a loopback URL we built)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def wait_until_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if status_of(url) == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not start")


def test_a_switch_reaches_two_servers_within_a_second(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}/sign-up/" for port in ports]
        for url in urls:
            wait_until_up(url, time.monotonic() + 30)
            assert status_of(url) == 200  # each server has read the switches already

        thrown = subprocess.run(
            [*manage, "switch", "signup", "--reason", "two-server test"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        switched_at = float(thrown.stdout.split(" at ")[1])
        time.sleep(max(0.0, switched_at + 1.0 - time.time()))
        assert [status_of(url) for url in urls] == [503, 503]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
