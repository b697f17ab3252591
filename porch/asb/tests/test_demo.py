"""The demo's anti-social behaviour: Alice's noise report, with one published action plan, seen by
Alice (not Bob) and in the ASB officer's cases."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import sign_in
from porch.accounts.models import User
from porch.asb.models import AsbCase
from porch.demo import seed as demo
from porch.housing.cast import demo_email


def test_the_demo_has_alices_noise_report_with_one_published_plan(db: Any, settings: Any) -> None:
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed(60)
    case = AsbCase.objects.get()
    assert case.entries.filter(kind="plan", published=True).count() == 1
    alice = sign_in(Client(), User.objects.get(username=demo_email("alice")))
    page = alice.get(f"/anti-social-behaviour/{case.uuid}/").content.decode()
    assert "Loud music" in page and "noise monitoring" in page
    assert "other reports from the block" not in page  # the officer's internal note
    bob = sign_in(Client(), User.objects.get(username=demo_email("bob")))
    assert bob.get(f"/anti-social-behaviour/{case.uuid}/").status_code == 404
    officer = sign_in(Client(), User.objects.get(username=demo_email("asb")))
    assert [c.pk for c in officer.get("/staff/asb/").context["cases"]] == [case.pk]
