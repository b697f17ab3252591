"""The demo's income officer: a login of its own (the demo password, a fixed two-step key) that
opens the arrears list, with demo accounts in arrears to show there, rent and service charges."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from porch.accounts.models import User
from porch.demo import seed as demo
from porch.housing.cast import demo_email
from porch.money.models import RentAccount


@pytest.fixture
def seeded(db: Any, settings: Any) -> None:
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed(60)


def test_the_income_officer_signs_in_and_sees_demo_accounts_in_arrears(seeded: None) -> None:
    officer = User.objects.get(username=demo_email("income"))
    assert officer.check_password(demo.DEMO_PASSWORD)
    assert officer.role_grants.filter(role="income_officer").exists()
    owed = RentAccount.objects.filter(balance_pence__gt=0, tenancy__is_test=False)
    assert owed.count() >= 5 and owed.filter(kind=RentAccount.Kind.SERVICE_CHARGE).exists()
    response = sign_in(Client(), officer).get("/staff/income/arrears/")
    assert response.status_code == 200 and len(response.context["rows"]) >= 5
