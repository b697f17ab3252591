"""A tenancy's account for the income team: what it shows, who may open it (a forged or test
household's id: 404; a role that reads no accounts: 403), the link from the tenancy's staff
page, and the audit row every look writes."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.money.access import PAGE_SIZE
from porch.money.models import RentAccount

from .helpers import an_account, income_officer


def url(account: RentAccount | str) -> str:
    code = account.uuid if isinstance(account, RentAccount) else account
    return f"/staff/income/accounts/{code}/"


def income(cast: Cast) -> Client:
    return sign_in(Client(), income_officer(cast))


def ashtons(cast: Cast) -> RentAccount:
    return an_account(cast["ashton"].tenancy, ("Rent", 9840), ("Payment, thank you", -5000), ("Rent", 9840))


def test_the_account_shows_balance_charge_next_due_holders_home_and_transactions(cast: Cast) -> None:
    account = ashtons(cast)
    page = income(cast).get(url(account)).content.decode()
    assert "£146.80 owed" in page and "£98.40 every week" in page and "Next payment due" in page
    assert "Alice Ashton" in page and "Bob Ashton" in page and "Amy Ashton" not in page
    assert cast["ashton"].tenancy.property.address_line_1 in page
    assert "Payment, thank you" in page and "£48.40 owed" in page  # the balance after the payment
    assert f'href="/staff/tenancies/{cast["ashton"].tenancy.uuid}/"' in page


def test_the_transactions_come_by_period_and_a_page_at_a_time(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, *[(f"Week {n}", 1000) for n in range(1, 121)])
    client = income(cast)
    recent = client.get(url(account)).content.decode()  # the last 3 months by default
    assert "Week 120" in recent and "Week 20<" not in recent
    everything = client.get(url(account), {"period": "all", "page": "5"}).content.decode()
    assert "Week 20<" in everything and f"page 5 of {120 // PAGE_SIZE + 1}" in everything
    assert 'value="3m" selected' in client.get(url(account), {"period": "<script>"}).content.decode()


@pytest.mark.parametrize("who", ["north", "cs", "asb", "admin"])
def test_staff_whose_role_reads_no_accounts_are_refused(cast: Cast, who: str) -> None:
    """The housing officer of the Ashtons' own patch included: a tenancy is not its account."""
    account = ashtons(cast)
    response = sign_in(Client(), cast.staff[who]).get(url(account))
    assert response.status_code == 403 and "£146.80" not in response.content.decode()


def test_a_resident_is_refused_even_their_own_account_on_the_staff_page(cast: Cast) -> None:
    account = ashtons(cast)
    assert sign_in(Client(), cast.resident("alice")).get(url(account)).status_code == 403


def test_the_dpo_reads_it_too(cast: Cast) -> None:
    account = ashtons(cast)
    assert sign_in(Client(), cast.staff["dpo"]).get(url(account)).status_code == 200


def test_an_id_that_is_not_an_account_is_not_found(cast: Cast) -> None:
    ashtons(cast)
    client = income(cast)
    assert client.get(url(str(uuid.uuid4()))).status_code == 404
    assert client.get(url(str(cast["ashton"].tenancy.uuid))).status_code == 404  # a tenancy's id
    assert not AccessEvent.objects.filter(object_type="rent_account").exists()


def test_a_test_households_account_is_not_found(cast: Cast) -> None:
    tenancy = cast["cole"].tenancy
    tenancy.is_test = True
    tenancy.save(update_fields=["is_test"])
    account = an_account(tenancy, ("Rent", 9840))
    assert income(cast).get(url(account)).status_code == 404


def test_every_look_is_audited_to_each_account_holder(cast: Cast) -> None:
    account = ashtons(cast)
    client = income(cast)
    client.get(url(account))
    client.get(url(account), {"period": "all"})
    rows = AccessEvent.objects.filter(object_type="rent_account", object_id=str(account.uuid), action="view")
    people = cast["ashton"].people
    assert sorted(rows.values_list("subject_id", flat=True)) == sorted([people["alice"].pk, people["bob"].pk] * 2)
    assert set(rows.values_list("reason", flat=True)) == {"balance and transactions"}
    assert set(rows.values_list("route", flat=True)) == {"money:staff_account"}


def test_a_former_tenancys_account_is_audited_to_who_held_it_when_it_ended(cast: Cast) -> None:
    account = an_account(cast["evans"].tenancy, ("Rent left unpaid", 30000))
    page = income(cast).get(url(account)).content.decode()
    assert "Erin Evans" in page and "(ended)" in page
    rows = AccessEvent.objects.filter(object_type="rent_account", object_id=str(account.uuid))
    assert list(rows.values_list("subject_id", flat=True)) == [cast["evans"].people["erin"].pk]


def test_the_tenancy_page_links_to_its_accounts_for_the_income_team_only(cast: Cast) -> None:
    account = ashtons(cast)
    tenancy_page = f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/"
    assert url(account) in income(cast).get(tenancy_page).content.decode()
    north = sign_in(Client(), cast.staff["north"])
    shown = north.get(tenancy_page).content.decode()
    assert url(account) not in shown and "Rent and service charges" not in shown


def test_the_tenancy_page_asks_nothing_about_accounts_for_a_role_that_reads_none(cast: Cast) -> None:
    ashtons(cast)
    north = sign_in(Client(), cast.staff["north"])
    tenancy_page = f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/"
    north.get(tenancy_page)
    with CaptureQueriesContext(connection) as queries:
        assert north.get(tenancy_page).status_code == 200
    assert not [q for q in queries.captured_queries if "money_rentaccount" in q["sql"]]


def test_the_account_holders_are_told_the_income_team_looked(cast: Cast) -> None:
    account = ashtons(cast)
    income(cast).get(url(account))
    privacy = sign_in(Client(), cast.resident("bob")).get("/privacy/").content.decode()
    assert "A member of our rent and income team looked at your rent or service-charge account" in privacy
