"""The demo's waiting arrangement: Carol's household in arrears, asking to pay £15 a week."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client

from conftest import make_staff, sign_in
from porch.accounts.models import User
from porch.core.roles import StaffRole
from porch.demo import seed as demo
from porch.housing.cast import demo_email
from porch.money.arrangement_demo import demo_arrangement
from porch.money.models import PaymentArrangement


@pytest.fixture
def seeded(db: Any, settings: Any) -> None:
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed(60)


def test_carols_household_owes_rent_and_has_a_proposal_waiting(seeded: None) -> None:
    waiting = PaymentArrangement.objects.select_related("account").get()
    account = waiting.account
    assert waiting.status == "proposed" and waiting.proposed_by.email == demo_email("carol")
    assert account.balance_pence > 0
    assert account.balance_pence == account.transactions.aggregate(total=Sum("amount_pence"))["total"]
    carol = sign_in(Client(), User.objects.get(username=demo_email("carol")))
    assert "Our income team has not decided yet" in carol.get(f"/rent/{account.uuid}/").content.decode()
    demo_arrangement()
    assert PaymentArrangement.objects.count() == 1


def test_an_income_officer_finds_it_in_the_queue(seeded: None) -> None:
    """The demo's income officer login comes with the income team's own pages; any will do."""
    officer = sign_in(Client(), make_staff("income@staff.example.org", [StaffRole.INCOME_OFFICER], []))
    waiting = PaymentArrangement.objects.get()
    assert waiting.account.hms_reference in officer.get("/staff/income/arrangements/").content.decode()
