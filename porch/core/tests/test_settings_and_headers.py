from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from conftest import Cast, sign_in
from porch.core.env import EnvError, env_bool, env_colour, env_int
from porch.core.middleware import client_address
from tools.check_unscoped import findings_in

ROOT = Path(__file__).resolve().parents[3]


def test_env_example_documents_every_variable_the_settings_read() -> None:
    read = set(re.findall(r'env_\w+\("([A-Z_]+)"', (ROOT / "config/settings.py").read_text()))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - documented == set()


@pytest.mark.parametrize(("reader", "value"), [(env_bool, "maybe"), (env_int, "ten"), (env_colour, "blue")])
def test_bad_settings_stop_start_up(monkeypatch: pytest.MonkeyPatch, reader, value: str) -> None:
    monkeypatch.setenv("PORCH_PROBE", value)
    with pytest.raises(EnvError, match="PORCH_PROBE"):
        reader("PORCH_PROBE", "#000000") if reader is env_colour else reader("PORCH_PROBE", 0)


def test_security_headers_are_set(client: Client, db) -> None:
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_carry_no_inline_script(cast: Cast) -> None:
    page = sign_in(Client(), cast.resident("alice")).get("/").content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert " style=" not in page


def test_a_missing_page_has_the_portals_404(client: Client, db) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(rf, settings) -> None:
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "198.51.100.7"


def test_the_unscoped_lookup_check_finds_a_direct_lookup_in_a_view() -> None:
    bad = "def view(request, code):\n    return Document.objects.get(uuid=code)\n"
    good = "def view(request):\n    return Document.objects.visible_to(request.actor)\n"
    assert findings_in(Path("porch/documents/views.py"), bad)
    assert findings_in(Path("porch/documents/views.py"), good) == []
    assert findings_in(Path("porch/documents/services.py"), "cursor = connection.cursor()\n")
    # The one allowed raw statement (ADR 0022) is allowed in its own file and nowhere else.
    assert findings_in(Path("porch/core/bulk.py"), "cursor = connection.cursor()\n") == []
    assert findings_in(Path("porch/feed/bulk.py"), "cursor = connection.cursor()\n")


def test_the_unscoped_lookup_check_covers_every_views_and_forms_file_and_every_holder_of_personal_data() -> None:
    bad = "def view(request, code):\n    return PrivacyReport.objects.get(uuid=code)\n"
    assert findings_in(Path("porch/incidents/oncall_views.py"), bad)
    assert findings_in(Path("porch/housing/staff_views.py"), bad)
    assert findings_in(Path("porch/incidents/oncall_forms.py"), "q = User.objects.filter(kind='staff')\n")
    assert findings_in(Path("porch/incidents/oncall_forms.py"), "q = User.objects.none()\n") == []
