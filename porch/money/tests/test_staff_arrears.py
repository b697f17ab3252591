"""The income team's arrears list: who may open it, what it lists and in what order, what the
filters choose and refuse, paging, the audit rows, and a query count that does not grow with
the rows on the page."""

from __future__ import annotations

import datetime
import re
import uuid
from itertools import count

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.housing.models import Tenancy
from porch.money.access import PAGE_SIZE
from porch.money.arrears import weeks_owed
from porch.money.models import AccountTransaction, Frequency, PaymentArrangement, RentAccount

from .helpers import income_officer

LIST = "/staff/income/arrears/"
_numbers = count(1)


def owing(
    tenancy: Tenancy,
    pence: int,
    *,
    kind: str = RentAccount.Kind.RENT,
    charge: int = 10000,
    every: str = Frequency.WEEK,
) -> RentAccount:
    """An account as the feed leaves it: a balance, a regular charge, no history needed."""
    return RentAccount.objects.create(
        hms_reference=f"RA-OWING-{next(_numbers)}",
        tenancy=tenancy,
        kind=kind,
        balance_pence=pence,
        balance_at=timezone.now(),
        charge_pence=charge,
        charge_every=every,
    )


def client_for(cast: Cast, who: str) -> Client:
    if who == "income":
        return sign_in(Client(), income_officer(cast))
    if who in cast.staff:
        return sign_in(Client(), cast.staff[who])
    return sign_in(Client(), cast.resident(who))


def listed(cast: Cast, query: dict[str, str] | None = None) -> list[str]:
    """The account references on the page, in order (each row links to its account)."""
    response = client_for(cast, "income").get(LIST, query or {})
    assert response.status_code == 200
    return [account.hms_reference for account, _ in response.context["rows"]]


# --- Who may open it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("income", 200), ("dpo", 200), ("north", 403), ("cs", 403), ("asb", 403), ("admin", 403), ("alice", 403)],
)
def test_only_the_income_team_and_the_dpo_open_the_arrears_list(cast: Cast, who: str, status: int) -> None:
    owing(cast["ashton"].tenancy, 5000)
    response = client_for(cast, who).get(LIST)
    assert response.status_code == status
    assert ("£50.00" in response.content.decode()) == (status == 200)


def test_staff_without_current_training_are_told_to_complete_it(cast: Cast) -> None:
    officer = income_officer(cast)
    officer.training_completed_on = timezone.localdate() - datetime.timedelta(days=400)
    officer.save(update_fields=["training_completed_on"])
    response = sign_in(Client(), officer).get(LIST)
    assert response.status_code == 403 and "data protection training" in response.content.decode()


def test_the_staff_home_links_to_the_list_only_for_those_it_admits(cast: Cast) -> None:
    assert LIST in client_for(cast, "income").get("/staff/").content.decode()
    assert LIST not in client_for(cast, "north").get("/staff/").content.decode()


# --- What it lists ---------------------------------------------------------------------------


def test_only_accounts_owing_money_are_listed_the_most_owed_first(cast: Cast) -> None:
    small = owing(cast["ashton"].tenancy, 100)
    large = owing(cast["smith"].tenancy, 90000)
    middle = owing(cast["cole"].tenancy, 25000)
    owing(cast["dunn"].tenancy, 0, kind=RentAccount.Kind.SERVICE_CHARGE)
    owing(cast["ashton"].tenancy, -4000, kind=RentAccount.Kind.SERVICE_CHARGE)
    assert listed(cast) == [large.hms_reference, middle.hms_reference, small.hms_reference]


def test_a_row_shows_the_tenancy_home_account_holders_kind_amount_weeks_and_when(cast: Cast) -> None:
    ashton = cast["ashton"]
    account = owing(ashton.tenancy, 25000)  # two and a half weeks of £100
    page = client_for(cast, "income").get(LIST).content.decode()
    assert ashton.tenancy.reference in page and str(ashton.tenancy.property) in page
    assert "Alice Ashton" in page and "Bob Ashton" in page
    assert "Amy Ashton" not in page  # a household member holds no account
    assert "Rent" in page and "£250.00" in page and re.search(r">\s*2\.5\s*<", page)
    assert f'href="/staff/income/accounts/{account.uuid}/"' in page
    assert timezone.localtime(account.balance_at).strftime("%-d %b %Y") in page


def test_a_former_tenancys_arrears_name_who_held_it_when_it_ended(cast: Cast) -> None:
    owing(cast["evans"].tenancy, 30000)
    page = client_for(cast, "income").get(LIST).content.decode()
    assert "Erin Evans" in page and "Ended" in page


def test_test_households_are_never_listed(cast: Cast) -> None:
    cole = cast["cole"].tenancy
    cole.is_test = True
    cole.save(update_fields=["is_test"])
    hidden = owing(cole, 99999)
    shown = owing(cast["ashton"].tenancy, 100)
    assert listed(cast) == [shown.hms_reference]
    assert not AccessEvent.objects.filter(object_id=str(hidden.uuid)).exists()


# --- Weeks in arrears ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pence", "charge", "every", "weeks"),
    [
        (30000, 10000, Frequency.WEEK, "3.0"),
        (29999, 10000, Frequency.WEEK, "2.9"),  # rounded down: not yet three weeks
        (20000, 20000, Frequency.FORTNIGHT, "2.0"),
        (52000, 52000, Frequency.MONTH, "4.3"),  # a month is 52 / 12 weeks
        (1200, 5200, Frequency.YEAR, "12.0"),
        (40000, 40000, Frequency.FOUR_WEEKS, "4.0"),
        (39000, 39000, Frequency.QUARTER, "13.0"),
        (5000, 0, Frequency.WEEK, None),  # no regular charge
        (0, 10000, Frequency.WEEK, None),
    ],
)
def test_weeks_in_arrears_count_weeks_of_the_regular_charge(
    cast: Cast, pence: int, charge: int, every: str, weeks: str | None
) -> None:
    assert weeks_owed(owing(cast["ashton"].tenancy, pence, charge=charge, every=every)) == weeks


def test_an_account_with_no_regular_charge_shows_a_dash_said_in_words(cast: Cast) -> None:
    owing(cast["ashton"].tenancy, 5000, charge=0)
    page = client_for(cast, "income").get(LIST).content.decode()
    assert '<span aria-hidden="true">-</span><span class="govuk-visually-hidden">No regular charge</span>' in page


# --- Filters ---------------------------------------------------------------------------------


def test_the_amount_filter_keeps_accounts_owing_at_least_that_much(cast: Cast) -> None:
    owing(cast["ashton"].tenancy, 9999)
    exactly = owing(cast["cole"].tenancy, 10000)
    more = owing(cast["smith"].tenancy, 250000)
    assert listed(cast, {"least": "£100"}) == [more.hms_reference, exactly.hms_reference]
    assert listed(cast, {"least": "1,000.00"}) == [more.hms_reference]


def test_the_weeks_filter_agrees_with_the_weeks_shown(cast: Cast) -> None:
    """Four weeks of a £100 weekly charge is £400; of a £520 monthly one (£120 a week), £480."""
    owing(cast["ashton"].tenancy, 39999)  # 3.9 weeks
    weekly = owing(cast["cole"].tenancy, 40000)  # 4.0 weeks
    monthly = owing(cast["smith"].tenancy, 48000, charge=52000, every=Frequency.MONTH)  # 4.0 weeks
    owing(cast["dunn"].tenancy, 47999, charge=52000, every=Frequency.MONTH)  # 3.9 weeks
    owing(cast["evans"].tenancy, 900000, charge=0)  # no charge: never weeks in arrears
    response = client_for(cast, "income").get(LIST, {"weeks": "4"})
    rows = response.context["rows"]
    assert [account.hms_reference for account, _ in rows] == [monthly.hms_reference, weekly.hms_reference]
    assert [weeks_owed(account) for account, _ in rows] == ["4.0", "4.0"]


def test_the_kind_filter_keeps_rent_or_service_charges(cast: Cast) -> None:
    rent = owing(cast["ashton"].tenancy, 5000)
    service = owing(cast["dunn"].tenancy, 7000, kind=RentAccount.Kind.SERVICE_CHARGE)
    assert listed(cast, {"kind": "service_charge"}) == [service.hms_reference]
    assert listed(cast, {"kind": "rent"}) == [rent.hms_reference]
    assert listed(cast, {"kind": "", "least": "", "weeks": ""}) == [service.hms_reference, rent.hms_reference]


def test_the_arrangement_filter_keeps_those_not_keeping_to_an_agreed_arrangement(cast: Cast) -> None:
    """£5 a week agreed on top of a £100 weekly charge, from 14 days ago: three weeks fell due
    (£315). The Ashtons paid £315 since; the Coles paid £300; the Smiths have no arrangement."""
    start = timezone.localdate() - datetime.timedelta(days=14)
    officer = income_officer(cast)
    keeping, behind = owing(cast["ashton"].tenancy, 50000), owing(cast["cole"].tenancy, 60000)
    owing(cast["smith"].tenancy, 70000)
    for account, paid in ((keeping, 31500), (behind, 30000)):
        PaymentArrangement.objects.create(
            account=account,
            tenancy=account.tenancy,
            proposed_by=account.tenancy.memberships.first().person,
            proposed_pence=500,
            proposed_every=Frequency.WEEK,
            starts_on=start,
            status=PaymentArrangement.Status.AGREED,
            agreed_pence=500,
            agreed_every=Frequency.WEEK,
            decided_by=officer,
            decided_at=timezone.now(),
            idempotency_key=uuid.uuid4(),
        )
        AccountTransaction.objects.create(
            hms_reference=f"TX-PAID-{account.pk}",
            account=account,
            tenancy=account.tenancy,
            posted_on=start,
            kind=AccountTransaction.Kind.PAYMENT,
            description="Payment",
            amount_pence=-paid,
        )
    assert listed(cast, {"behind": "on"}) == [behind.hms_reference]
    assert len(listed(cast, {"behind": ""})) == 3


def test_the_extra_care_filter_keeps_households_the_housing_system_flags(cast: Cast) -> None:
    flagged, plain = owing(cast["ashton"].tenancy, 5000), owing(cast["cole"].tenancy, 7000)
    Tenancy.objects.filter(pk=flagged.tenancy_id).update(needs_extra_care=True)
    assert listed(cast, {"extra_care": "on"}) == [flagged.hms_reference]
    assert listed(cast, {}) == [plain.hms_reference, flagged.hms_reference]
    assert "Needs extra care" in client_for(cast, "income").get(LIST).content.decode()


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"least": "lots"}, "Enter an amount in pounds and pence, like 25.50"),
        ({"least": "-5"}, "The amount must be more than £0"),
        ({"least": "0"}, "The amount must be £0.01 or more"),
        ({"weeks": "four"}, "Enter the number of weeks as a whole number, like 4"),
        ({"weeks": "0"}, "The number of weeks must be 1 or more"),
        ({"kind": "garage"}, "Select an account from the list"),
    ],
)
def test_a_filter_that_cannot_be_read_is_explained_and_lists_nothing(
    cast: Cast, query: dict[str, str], error: str
) -> None:
    owing(cast["ashton"].tenancy, 5000)
    response = client_for(cast, "income").get(LIST, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and error in page and "<title>Error:" in page
    assert response.context["rows"] == []
    assert not AccessEvent.objects.filter(object_type="rent_account").exists()


# --- Paging, audit, queries ------------------------------------------------------------------


def many_owing(cast: Cast, count: int) -> list[RentAccount]:
    """`count` accounts of Alice's tenancy owing £1, £2, ... (the most owed first: the last)."""
    return [owing(cast["ashton"].tenancy, 100 * (n + 1)) for n in range(count)]


def test_the_list_comes_a_page_of_25_at_a_time(cast: Cast) -> None:
    accounts = many_owing(cast, PAGE_SIZE + 3)
    client = client_for(cast, "income")
    first = client.get(LIST, {"least": "0.50"})
    shown = [account.hms_reference for account, _ in first.context["rows"]]
    assert shown == [account.hms_reference for account in reversed(accounts)][:PAGE_SIZE]
    following = re.search(r'href="\?([^"]+)" rel="next"', first.content.decode())
    assert following is not None and "least=0.50" in following.group(1)  # the filters carry on
    second = client.get(f"{LIST}?{following.group(1).replace('&amp;', '&')}")
    assert [account.hms_reference for account, _ in second.context["rows"]] == [
        account.hms_reference for account in reversed(accounts[:3])
    ]
    assert 'rel="next"' not in second.content.decode() and 'rel="prev"' in second.content.decode()


def test_each_page_is_audited_as_a_list_to_each_accounts_holders(cast: Cast) -> None:
    ashton = owing(cast["ashton"].tenancy, 5000)
    smith = owing(cast["smith"].tenancy, 6000)
    client_for(cast, "income").get(LIST)
    rows = AccessEvent.objects.filter(object_type="rent_account", action="list", reason="arrears list")
    assert {(row.object_id, row.subject_id) for row in rows} == {
        (str(ashton.uuid), cast["ashton"].people["alice"].pk),
        (str(ashton.uuid), cast["ashton"].people["bob"].pk),
        (str(smith.uuid), cast["smith"].people["sam"].pk),
    }
    assert {row.actor_id for row in rows} == {cast.staff["income"].pk}
    assert {row.route for row in rows} == {"money:arrears"}


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len([q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])


def test_a_page_costs_the_same_queries_for_one_row_or_a_full_page(cast: Cast) -> None:
    owing(cast["smith"].tenancy, 5000)
    client = client_for(cast, "income")
    client.get(LIST)  # the first request of a session loads what later ones remember
    one = queries_for(client, LIST)
    for household in ("ashton", "cole", "dunn", "evans"):
        for pence in range(1000, 1000 + 7 * 100, 100):
            owing(cast[household].tenancy, pence)
    assert queries_for(client, LIST) == one
    assert one <= 14, one
