"""The rent accounts and rent transactions files: amounts read as whole pennies, an account
kept with its tenancy and a transaction with its account, the same file twice changing
nothing, and the audit log naming the account holders, one row per account a chunk."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from conftest import Cast
from porch.audit.models import AccessEvent
from porch.core.bulk import rows_insert
from porch.feed import pipeline
from porch.feed.columns import BadValue, pounds, pounds_not_negative
from porch.feed.models import FeedBatch, FeedProblem
from porch.feed.rent import NO_ACCOUNT, RentAccounts
from porch.feed.tests.files import applied, csv_bytes, memberships, people, tenancies
from porch.housing.models import Person
from porch.money.models import AccountTransaction, RentAccount

pytestmark = pytest.mark.django_db
ACCOUNTS = ["account_ref", "tenancy_ref", "kind", "balance", "balance_at", "charge", "charge_every"]
DUE = ["next_due", "next_due_on"]
TRANSACTIONS = ["transaction_ref", "account_ref", "posted_on", "kind", "description", "amount"]
AT = "2026-11-29T23:00:00+00:00"


def account(
    ref: str, tenancy: str, balance: str = "0", due: str = "", on: str = "", charge: str = "98.40"
) -> list[str]:
    """A weekly rent account's row."""
    return [ref, tenancy, "rent", balance, AT, charge, "week", due, on]


def accounts(*rows: list[str]) -> bytes:
    return csv_bytes(ACCOUNTS + DUE, list(rows))


def transactions(*rows: tuple[str, str, str]) -> bytes:
    """(transaction_ref, account_ref, amount) charges."""
    return csv_bytes(
        TRANSACTIONS, [[ref, account, "2026-11-23", "charge", "Rent", amount] for ref, account, amount in rows]
    )


def problems(batch: FeedBatch) -> dict[int, tuple[str, str]]:
    found = batch.problems.filter(stage=FeedProblem.Stage.APPLY).values_list("line", "field", "why")
    return {line: (column, why) for line, column, why in found}


def refs(**where: object) -> set[str]:
    return set(AccountTransaction.objects.filter(**where).values_list("hms_reference", flat=True))


def audited(**where: object) -> list[tuple[int | None, str]]:
    rows = AccessEvent.objects.filter(object_type="rent_account", **where).order_by("id")
    return list(rows.values_list("subject_id", "reason"))


@pytest.fixture
def two_accounts(cast: Cast) -> Cast:
    """RA-1 for the Ashtons (Alice and Bob hold it, Amy lives there) and RA-2 for Carol Cole."""
    # Carol's first, so that no account's id is its tenancy's id by chance.
    batch = applied(
        "rent_accounts",
        accounts(
            account("RA-2", cast["cole"].tenancy.reference, "-10"),
            account("RA-1", cast["ashton"].tenancy.reference, "123.45", "98.40", "2026-12-07"),
        ),
    )
    assert (batch.created, batch.refused) == (2, 0)
    return cast


# 0.29 is where reading through a float would lose a penny (28.999...).
@pytest.mark.parametrize(
    ("text", "pence"), [("95.5", 9550), ("-12.30", -1230), ("0.05", 5), ("95", 9500), ("0.29", 29)]
)
def test_pounds_are_read_as_whole_pennies(text: str, pence: int) -> None:
    assert pounds(text) == pence


@pytest.mark.parametrize("text", ["12.345", "£12", "1,200.00", "abc"])
def test_an_amount_written_any_other_way_is_refused_saying_how_to_write_it(text: str) -> None:
    with pytest.raises(BadValue, match=r"pounds and pence like 95\.50 or -12\.30: no £ sign, no commas"):
        pounds(text)


def test_a_required_amount_left_empty_is_missing_and_a_charge_cannot_be_below_nothing() -> None:
    balance = next(column for column in RentAccounts.layout.columns if column.name == "balance")
    with pytest.raises(BadValue, match=r"^This value is missing\.$"):
        balance.value("")
    with pytest.raises(BadValue, match="cannot be below nothing"):
        pounds_not_negative("-1")


def test_accounts_go_in_for_known_tenancies_and_bad_rows_are_refused_alone(cast: Cast) -> None:
    ashton, cole = cast["ashton"].tenancy, cast["cole"].tenancy
    content = accounts(
        account("RA-1", ashton.reference, "123.45", "98.40", "2026-12-07"),
        account("RA-2", "T-UNKNOWN"),
        account("RA-3", cole.reference, charge="-1"),
        account("RA-4", cole.reference, "£12"),
        account("RA-5", cole.reference, ""),
        account("RA-6", cole.reference, "-0.5"),
    )
    batch = applied("rent_accounts", content)
    assert (batch.created, batch.refused) == (2, 4)
    ours = RentAccount.objects.get(hms_reference="RA-1")
    assert (ours.tenancy, ours.balance_pence, ours.charge_pence) == (ashton, 12345, 9840)
    assert (ours.next_due_pence, ours.next_due_on) == (9840, datetime.date(2026, 12, 7))
    assert RentAccount.objects.get(hms_reference="RA-6").balance_pence == -50
    found = problems(batch)
    assert found[3] == ("tenancy_ref", "No tenancy here has this reference: send the tenancies file first.")
    assert found[4] == ("charge", "This amount cannot be below nothing.")
    assert found[5][0] == "balance" and "no £ sign" in found[5][1]
    assert found[6] == ("balance", "This value is missing.")


def test_a_next_amount_due_without_its_date_is_refused(cast: Cast) -> None:
    batch = applied("rent_accounts", accounts(account("RA-1", cast["cole"].tenancy.reference, due="98.40")))
    assert batch.refused == 1 and not RentAccount.objects.exists()
    assert problems(batch)[2] == ("next_due_on", "Give the next amount due and its date together, or neither.")


def test_an_account_stays_with_its_tenancy(two_accounts: Cast) -> None:
    moved = applied(
        "rent_accounts", accounts(account("RA-1", two_accounts["cole"].tenancy.reference)), name="moved.csv"
    )
    assert moved.refused == 1 and "stays with its tenancy" in problems(moved)[2][1]
    assert RentAccount.objects.get(hms_reference="RA-1").tenancy == two_accounts["ashton"].tenancy


def test_the_same_accounts_file_again_changes_nothing(two_accounts: Cast) -> None:
    events = AccessEvent.objects.count()
    again = applied(
        "rent_accounts",
        accounts(
            account("RA-1", two_accounts["ashton"].tenancy.reference, "123.45", "98.40", "2026-12-07"),
            # -10 written another way: the same amount, so no change.
            account("RA-2", two_accounts["cole"].tenancy.reference, "-10.00"),
        ),
        name="again.csv",
    )
    assert again.counts == {"read": 2, "created": 0, "changed": 0, "unchanged": 2, "refused": 0, "held": 0}
    assert AccessEvent.objects.count() == events


def test_a_changed_balance_is_written_and_audited_to_the_account_holders_not_the_household(two_accounts: Cast) -> None:
    ashton = two_accounts["ashton"]
    row = account("RA-1", ashton.tenancy.reference, "150", "98.40", "2026-12-07")
    batch = applied("rent_accounts", accounts(row), name="later.csv")
    ra1 = RentAccount.objects.get(hms_reference="RA-1")
    assert (batch.changed, ra1.balance_pence) == (1, 15000)
    holders = {ashton.people["alice"].pk, ashton.people["bob"].pk}  # not Amy, who lives there
    changed = audited(object_id=str(ra1.uuid), action="update", tenancy=ashton.tenancy, reason__contains="changed")
    # The log says what changed, never the amount.
    assert {reason for _, reason in changed} == {f"balance changed from the housing system (batch {batch.pk})"}
    assert {subject for subject, _ in changed} == holders
    assert {subject for subject, _ in audited(object_id=str(ra1.uuid), reason__startswith="account added")} == holders


def test_transactions_go_on_their_account_with_its_tenancy_and_bad_rows_are_refused(two_accounts: Cast) -> None:
    batch = applied(
        "rent_transactions",
        transactions(("TX-1", "RA-1", "98.40"), ("TX-2", "RA-2", "-50"), ("TX-3", "RA-9", "1"), ("TX-1", "RA-1", "1")),
    )
    assert (batch.created, batch.refused) == (2, 2)
    assert problems(batch) == {
        4: ("account_ref", NO_ACCOUNT),
        5: ("transaction_ref", "This reference is also on line 2: once a file."),
    }
    for reference, pence, household in (("TX-1", 9840, "ashton"), ("TX-2", -5000, "cole")):
        tx = AccountTransaction.objects.get(hms_reference=reference)
        assert (tx.amount_pence, tx.tenancy_id) == (pence, two_accounts[household].tenancy.pk)


def test_transactions_sent_again_change_nothing_and_a_correction_is_changed(two_accounts: Cast) -> None:
    content = transactions(("TX-1", "RA-1", "98.40"), ("TX-2", "RA-1", "-50"))
    applied("rent_transactions", content)
    again = applied("rent_transactions", content, name="again.csv")
    assert (again.created, again.changed, again.unchanged, AccountTransaction.objects.count()) == (0, 0, 2, 2)
    corrected = applied("rent_transactions", transactions(("TX-2", "RA-1", "-55.50")), name="corrected.csv")
    assert (corrected.changed, AccountTransaction.objects.get(hms_reference="TX-2").amount_pence) == (1, -5550)
    assert len(audited(reason__startswith="1 corrected")) == 2  # Alice and Bob


def test_a_card_payment_posted_by_the_housing_system_names_its_payment_reference(two_accounts: Cast) -> None:
    """payment_ref is optional: files without it load as before; with it, the transaction names
    the payment made in Porch, and the same file again (empty cells too) changes nothing."""
    rows = [
        ["TX-1", "RA-1", "2026-11-23", "payment", "Card payment", "-25.00", "PAY-7KQ3M9XA"],
        ["TX-2", "RA-1", "2026-11-23", "charge", "Rent", "98.40", ""],
    ]
    content = csv_bytes([*TRANSACTIONS, "payment_ref"], rows)
    applied("rent_transactions", content)
    assert AccountTransaction.objects.get(hms_reference="TX-1").payment_reference == "PAY-7KQ3M9XA"
    assert AccountTransaction.objects.get(hms_reference="TX-2").payment_reference == ""
    again = applied("rent_transactions", content, name="again.csv")
    assert (again.changed, again.unchanged) == (0, 2)
    without = applied("rent_transactions", transactions(("TX-2", "RA-1", "98.40")), name="without.csv")
    assert (without.changed, without.unchanged) == (0, 1)


def test_a_transaction_stays_with_its_account(two_accounts: Cast) -> None:
    applied("rent_transactions", transactions(("TX-1", "RA-1", "98.40")))
    moved = applied("rent_transactions", transactions(("TX-1", "RA-2", "98.40")), name="moved.csv")
    assert moved.refused == 1 and problems(moved)[2] == ("account_ref", "A transaction stays with its account.")
    assert AccountTransaction.objects.get().account.hms_reference == "RA-1"


def test_the_audit_log_gets_a_row_per_account_holder_a_chunk_not_one_a_transaction(
    two_accounts: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK", 4)
    ashton, carol = two_accounts["ashton"].people, two_accounts["cole"].people["carol"]
    first = [(f"TX-{n}", "RA-1", "10") for n in range(1, 7)]
    batch = applied("rent_transactions", transactions(*first, ("TX-7", "RA-2", "10"), ("TX-8", "RA-2", "10")))
    assert batch.created == 8
    rows = audited(reason__contains="transactions added")
    # Chunk one: four on RA-1; chunk two: two on RA-1 and two on RA-2.
    assert Counter((subject, reason.split(" from")[0]) for subject, reason in rows) == Counter(
        [
            (ashton["alice"].pk, "4 transactions added"),
            (ashton["bob"].pk, "4 transactions added"),
            (ashton["alice"].pk, "2 transactions added"),
            (ashton["bob"].pk, "2 transactions added"),
            (carol.pk, "2 transactions added"),
        ]
    )
    assert all(f"(batch {batch.pk})" in reason for _, reason in rows)


def test_a_new_tenancy_of_the_home_has_its_own_account_and_nothing_of_the_last(
    two_accounts: Cast, settings: Any
) -> None:
    settings.FEED_MAX_ENDING_SHARE = 1  # one of the cast's four current tenancies: not a large batch here
    old = two_accounts["ashton"].tenancy
    home = old.property
    home.hms_reference = "PR-ASH"
    home.save(update_fields=["hms_reference"])
    today = datetime.date.today().isoformat()
    applied("rent_transactions", transactions(("TX-1", "RA-1", "98.40")))
    applied("tenancies", tenancies((old.reference, "PR-ASH", old.start_date.isoformat(), today)))
    applied("people", people(("P-NEW", "Nina", "Newcomer", "1990-05-05")))
    applied("tenancies", tenancies(("T-NEW", "PR-ASH", today, "")), name="new.csv")
    applied("memberships", memberships(("M-NEW", "T-NEW", "P-NEW", "lead_tenant", today, "")))
    refused = applied("rent_accounts", accounts(account("RA-1", "T-NEW")), name="moved.csv")
    assert refused.refused == 1
    applied("rent_accounts", accounts(account("RA-NEW", "T-NEW")), name="new.csv")
    batch = applied(
        "rent_transactions",
        transactions(("TX-2", "RA-NEW", "98.40"), ("TX-1", "RA-NEW", "98.40"), ("TX-3", "RA-1", "-98.40")),
        name="both.csv",
    )
    assert (batch.created, batch.refused) == (2, 1)
    new = RentAccount.objects.get(hms_reference="RA-NEW")
    assert new.tenancy.reference == "T-NEW" and new.tenancy.property == home
    assert refs(tenancy=new.tenancy) == refs(account=new) == {"TX-2"}
    assert refs(tenancy=old) == refs(account__hms_reference="RA-1") == {"TX-1", "TX-3"}
    nina = Person.objects.get(housing_reference="P-NEW")
    assert {subject for subject, _ in audited(object_id=str(new.uuid))} == {nina.pk}
    old_account = RentAccount.objects.get(hms_reference="RA-1")
    assert nina.pk not in {subject for subject, _ in audited(object_id=str(old_account.uuid))}


@pytest.mark.usefixtures("with_and_without_the_wall")
def test_new_rows_the_database_refuses_raise_its_own_error_so_the_loader_falls_back(two_accounts: Cast) -> None:
    applied("rent_transactions", transactions(("TX-1", "RA-1", "10")))
    first = AccountTransaction.objects.get(hms_reference="TX-1")
    fields = ("hms_reference", "account", "tenancy", "posted_on", "kind", "description", "amount_pence")
    row = ("TX-1", first.account_id, first.tenancy_id, datetime.date(2026, 11, 23), "charge", "Rent", 1000)
    # By COPY, whose driver errors Django does not translate by itself, or by columns.
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(AccountTransaction, fields, [row])
    rows_insert(AccountTransaction, fields, [("TX-2", *row[1:])])
    assert refs(account=first.account_id) == {"TX-1", "TX-2"}
