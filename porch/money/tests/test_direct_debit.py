"""Direct Debit against GoCardless's API on a loopback server: bank details go to the provider
and nowhere else (the database, the page sent back, the outbox keep the last two digits); one
form is one mandate; an active mandate replaces the account's other; a change or a stop is
told to the housing system; the provider's messages are signed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.money.models import DirectDebitMandate, RentAccount
from porch.outbox.models import OutboxEvent

from .gocardless_server import ACCESS_TOKEN, WEBHOOK_SECRET, GoCardlessServer, gocardless_server
from .govuk_pay_server import sign
from .helpers import an_account

CALLBACK = "/payments/direct-debit/callback/"
SORT_CODE, ACCOUNT_NUMBER = "30-94-30", "00733445"


@pytest.fixture
def gc(settings: Any) -> Iterator[GoCardlessServer]:
    with gocardless_server() as server:
        settings.DIRECT_DEBIT_PROVIDER = "gocardless"
        settings.GOCARDLESS_API_URL = server.url
        settings.GOCARDLESS_ACCESS_TOKEN = ACCESS_TOKEN
        settings.GOCARDLESS_WEBHOOK_SECRET = WEBHOOK_SECRET
        yield server


@pytest.fixture
def account(cast: Cast) -> RentAccount:
    return an_account(cast["ashton"].tenancy, ("Rent", 9840))


def alice(cast: Cast) -> Client:
    return sign_in(Client(), cast.resident("alice"))


def new_url(account: RentAccount) -> str:
    return f"/rent/{account.uuid}/direct-debit/new/"


def set_up(client: Client, account: RentAccount, key: str | None = None, **changes: str) -> Any:
    if key is None:
        found = re.search(r'name="attempt_key" value="([0-9a-f-]+)"', client.get(new_url(account)).content.decode())
        assert found
        key = found.group(1)
    form = {
        "holder_name": "Alice Ashton",
        "sort_code": SORT_CODE,
        "account_number": ACCOUNT_NUMBER,
        "collection_day": "3",
        "amount": "426.40",
        "only_signatory": "on",
        "attempt_key": key,
        **changes,
    }
    return client.post(new_url(account), form)


def told(topic: str) -> list[dict[str, Any]]:
    return [event.payload for event in OutboxEvent.objects.filter(topic=topic).order_by("id")]


def everything_stored() -> str:
    """Every value in every table, as text: where a bank detail would be if it were kept."""
    with connection.cursor() as cursor:
        texts = []
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the database itself)
            texts.extend(str(row) for row in cursor.fetchall())
    return "\n".join(texts)


def test_bank_details_go_to_the_provider_and_only_the_last_two_digits_stay(
    cast: Cast, gc: GoCardlessServer, account: RentAccount
) -> None:
    client = alice(cast)
    response = set_up(client, account)
    assert response.status_code == 302 and response["Location"] == f"/rent/{account.uuid}/direct-debit/"
    (mandate,) = DirectDebitMandate.objects.all()
    assert (mandate.account_ending, mandate.collection_day, mandate.amount_pence) == ("45", 3, 42640)
    assert mandate.status == DirectDebitMandate.Status.SETTING_UP and mandate.provider_id == gc.mandate_ids()[0]
    (bank_account,) = gc.made["customer_bank_accounts"].values()
    sent = [json.loads(body) for body in gc.bodies]
    assert sent[1]["customer_bank_accounts"]["account_number"] == ACCOUNT_NUMBER
    assert sent[1]["customer_bank_accounts"]["branch_code"] == "309430"
    stored = everything_stored()
    assert ACCOUNT_NUMBER not in stored and "309430" not in stored and "30-94-30" not in stored
    page = client.get(f"/rent/{account.uuid}/direct-debit/").content.decode()
    assert "ending 45" in page and "Being set up" in page and "Day 3" in page and "£426.40" in page
    (requested,) = told("direct_debit.requested")
    assert requested["bank_account_ending"] == "45" and ACCOUNT_NUMBER not in json.dumps(requested)
    assert AccessEvent.objects.filter(object_type="direct_debit", action="create").count() == 2  # Alice, Bob
    assert bank_account["links"]["customer"] in gc.made["customers"]


def test_a_form_with_an_error_never_sends_bank_details_back(cast: Cast, gc: GoCardlessServer, account) -> None:
    response = set_up(alice(cast), account, amount="12.345")
    page = response.content.decode()
    assert "govuk-error-summary" in page and "nearest penny" in page
    assert ACCOUNT_NUMBER not in page and "30-94-30" not in page and 'value="Alice Ashton"' in page
    assert not gc.bodies and not DirectDebitMandate.objects.exists()


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"sort_code": "30943"}, "valid sort code"),
        ({"account_number": "12345"}, "valid account number"),
        ({"account_number": "1234abcd"}, "valid account number"),
        ({"collection_day": "29"}, "Select a valid choice"),
        ({"only_signatory": ""}, "Confirm you can set up a Direct Debit"),
        ({"amount": "0"}, "£0.01 or more"),
    ],
)
def test_bad_details_are_refused_plainly(
    cast: Cast, gc: GoCardlessServer, account: RentAccount, changes: dict[str, str], why: str
) -> None:
    page = set_up(alice(cast), account, **changes).content.decode()
    assert "govuk-error-summary" in page and why in page and not gc.bodies


def test_details_the_bank_refuses_and_the_provider_down_are_said_plainly(
    cast: Cast, gc: GoCardlessServer, account
) -> None:
    client = alice(cast)
    refused = set_up(client, account, account_number="55779911").content.decode()
    assert "Your bank details were not accepted (account number is invalid)" in refused
    gc.failing_with = 503
    down = set_up(client, account).content.decode()
    assert "could not reach our Direct Debit provider" in down and "nothing has been set up" in down
    assert not DirectDebitMandate.objects.exists()


def test_a_double_submit_is_one_mandate(cast: Cast, gc: GoCardlessServer, account) -> None:
    client = alice(cast)
    key = "6f1c2b0e-8a4d-4c3b-9f3e-2d5a7c1e9b40"
    set_up(client, account, key=key)
    set_up(client, account, key=key)
    assert DirectDebitMandate.objects.count() == 1 and len(gc.mandate_ids()) == 1


def test_an_active_mandate_replaces_the_accounts_other_and_the_messages_are_signed(
    cast: Cast, gc: GoCardlessServer, account, django_capture_on_commit_callbacks: Any
) -> None:
    client = alice(cast)
    set_up(client, account)
    set_up(client, account, account_number="11223399")
    old, new = DirectDebitMandate.objects.order_by("id")
    assert (
        Client().post(CALLBACK, gc.webhook(old.provider_id, "active")[0], content_type="application/json").status_code
        == 401
    )
    for mandate in (old, new):
        body, signature = gc.webhook(mandate.provider_id, "active")
        with django_capture_on_commit_callbacks(execute=True):
            answer = Client().post(
                CALLBACK, body, content_type="application/json", headers={"Webhook-Signature": signature}
            )
        assert answer.status_code == 200
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == DirectDebitMandate.Status.ENDED and new.status == DirectDebitMandate.Status.ACTIVE
    assert "replaced by the Direct Debit from the account ending 99" in old.outcome
    assert gc.made["mandates"][old.provider_id]["status"] == "cancelled"
    assert told("direct_debit.active")[-1]["replaces"] == [str(old.uuid)]
    page = client.get(f"/rent/{account.uuid}/direct-debit/").content.decode()
    assert "ending 99" in page and "ending 45" not in page


def test_a_mandate_that_fails_while_being_set_up_says_so(cast: Cast, gc: GoCardlessServer, account) -> None:
    set_up(alice(cast), account)
    mandate = DirectDebitMandate.objects.get()
    body, signature = gc.webhook(mandate.provider_id, "failed")
    Client().post(CALLBACK, body, content_type="application/json", headers={"Webhook-Signature": signature})
    mandate.refresh_from_db()
    assert mandate.status == DirectDebitMandate.Status.FAILED and told("direct_debit.ended")


def test_changing_the_day_or_amount_and_stopping(cast: Cast, gc: GoCardlessServer, account) -> None:
    client = alice(cast)
    set_up(client, account)
    base = f"/rent/{account.uuid}/direct-debit"
    assert client.post(f"{base}/change/", {"collection_day": "15", "amount": "400"}).status_code == 302
    mandate = DirectDebitMandate.objects.get()
    assert (mandate.collection_day, mandate.amount_pence) == (15, 40000)
    assert told("direct_debit.changed")[0]["collection_day"] == 15
    assert client.post(f"{base}/stop/").status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == DirectDebitMandate.Status.ENDED
    assert gc.made["mandates"][mandate.provider_id]["status"] == "cancelled"
    assert client.get(f"{base}/change/").status_code == 404  # nothing live to change


def test_only_the_account_holders_see_or_stop_it(cast: Cast, gc: GoCardlessServer, account) -> None:
    set_up(alice(cast), account)
    base = f"/rent/{account.uuid}/direct-debit/"
    assert "ending 45" in sign_in(Client(), cast.resident("bob")).get(base).content.decode()  # the joint tenant
    for who in ("carol", "dan", "erin"):  # another household, a homeowner in the block, a former tenant
        client = sign_in(Client(), cast.resident(who))
        assert client.get(base).status_code in (403, 404), who
        assert client.post(f"{base}stop/").status_code in (403, 404), who
    assert DirectDebitMandate.objects.get().status == DirectDebitMandate.Status.SETTING_UP


def test_a_message_signed_with_another_secret_changes_nothing(cast: Cast, gc: GoCardlessServer, account) -> None:
    set_up(alice(cast), account)
    mandate = DirectDebitMandate.objects.get()
    body, _ = gc.webhook(mandate.provider_id, "active")
    forged = Client().post(
        CALLBACK, body, content_type="application/json", headers={"Webhook-Signature": sign(body, "guessed")}
    )
    assert forged.status_code == 401
    mandate.refresh_from_db()
    assert mandate.status == DirectDebitMandate.Status.SETTING_UP


def test_a_corrected_form_after_a_failed_try_is_a_new_try_on_the_new_bank_account(
    cast: Cast, gc: GoCardlessServer, account: RentAccount
) -> None:
    """The provider made the customer and the bank account ending 11, then failed on the
    mandate. The resident corrects the account number and sends the form again: the new try is
    a new key, so the provider does not answer with the bank account the first try made."""
    client = alice(cast)
    gc.failing_with, gc.failing_only = 503, "mandates"
    failed = set_up(client, account, account_number="11223311").content.decode()
    key = re.search(r'name="attempt_key" value="([0-9a-f-]+)"', failed)
    assert key and "could not reach our Direct Debit provider" in failed and "11223311" not in failed
    gc.failing_with = None
    assert set_up(client, account, key=key.group(1), account_number="11223322").status_code == 302
    assert DirectDebitMandate.objects.get().account_ending == "22"


def test_each_page_showing_a_direct_debit_is_audited_as_one(cast: Cast, gc: GoCardlessServer, account) -> None:
    client = alice(cast)
    set_up(client, account)
    mandate = DirectDebitMandate.objects.get()
    base = f"/rent/{account.uuid}/direct-debit"
    for url, what in (
        (f"{base}/", "Direct Debit page"),
        (f"{base}/change/", "to change it"),
        (f"{base}/stop/", "to stop it"),
    ):
        assert client.get(url).status_code == 200
        rows = AccessEvent.objects.filter(object_type="direct_debit", object_id=str(mandate.uuid), reason=what)
        assert rows.count() == 2, what  # Alice and Bob, whose Direct Debit's account it is
