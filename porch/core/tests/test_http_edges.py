"""What the portal answers at the edges of HTTP: methods it does not serve, forms sent
without their security token, plain HTTP in production, and files it must not serve."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from conftest import Cast, sign_in

ROOT = Path(__file__).resolve().parents[3]


def test_options_lists_the_methods_and_never_returns_the_page(cast: Cast) -> None:
    response = sign_in(Client(), cast.resident("alice")).options("/")
    assert response.status_code == 204
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.content == b""


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused_without_the_page(cast: Cast, method: str) -> None:
    response = getattr(sign_in(Client(), cast.resident("alice")), method)("/")
    assert response.status_code == 405
    assert cast["ashton"].marker.encode() not in response.content


def test_a_form_without_its_security_token_gets_the_portals_own_page(db) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "someone", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Sorry, we could not send that" in page and "Nothing was changed" in page
    assert "CSRF" not in page


# collectstatic has not run here: pages name static files without the manifest's hashes.
PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
answers = {}
with override_settings(STORAGES=plain):
    for host in ("porch.example.org", "evil.example.net"):
        response = Client().get("/accessibility/", HTTP_HOST=host)
        answers[host] = [response.status_code, response.get("Location", "")]
print(json.dumps({"answers": answers, "manifest": str(settings.STATIC_MANIFEST_ROOT), "root": str(settings.STATIC_ROOT)}))
"""


def test_plain_http_is_sent_to_https_only_for_the_portals_own_hosts(tmp_path: Path) -> None:
    """The real settings with DEBUG off, as a deployment builds them from its environment."""
    env = {
        **{key: value for key, value in os.environ.items() if key not in ("DEBUG", "DATABASE_URL")},
        "DEBUG": "0",
        "SECRET_KEY": "s" * 50,
        "AUDIT_KEY": "a" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "ALLOWED_HOSTS": "porch.example.org",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    probe = json.loads(run.stdout.strip().splitlines()[-1])
    assert probe["answers"]["porch.example.org"] == [301, "https://porch.example.org/accessibility/"]
    # Another host is refused (400), never redirected to an https address of its choosing.
    assert probe["answers"]["evil.example.net"][0] == 400
    assert probe["answers"]["evil.example.net"][1] == ""
    # The static manifest is kept outside the folder that is served.
    assert not probe["manifest"].startswith(probe["root"].rstrip("/") + "/")


def test_the_static_manifest_is_written_outside_the_served_folder(tmp_path: Path, settings) -> None:
    from porch.core.storage import StaticFilesStorage

    settings.STATIC_MANIFEST_ROOT = tmp_path / "manifest"
    storage = StaticFilesStorage(location=tmp_path / "static")
    storage.hashed_files = {}
    storage.save_manifest()
    assert (tmp_path / "manifest" / "staticfiles.json").exists()
    assert not (tmp_path / "static" / "staticfiles.json").exists()


def test_every_page_links_to_the_privacy_notice_and_the_phone_number_can_be_tapped(client: Client, db) -> None:
    page = client.get("/sign-in/").content.decode()
    assert 'href="/privacy-notice/"' in page
    assert 'href="tel:+443001234567"' in page
    notice = client.get("/privacy-notice/")
    assert notice.status_code == 200 and "How we use your information" in notice.content.decode()
