"""Demo rent and service-charge accounts: one for each demo tenancy, with eight weeks of its
history (a balance brought forward, the charges, and payments or benefit credits that some
households miss), so the demo has households in arrears, up to date and in credit.

Written directly and in bulk, like the rest of the demo data, a few thousand tenancies at a
time (memory stays flat at 150,000 homes). Deterministic, and a second call adds nothing."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from uuid import uuid4

from django.utils import timezone

from porch.housing.cast import demo_email
from porch.housing.models import Membership, Tenancy
from porch.money.models import AccountTransaction, DirectDebitMandate, Frequency, RentAccount

WEEKS = 8
CHUNK = 5000
WEEK = datetime.timedelta(days=7)
SERVICE_CHARGED = (Tenancy.Kind.LEASEHOLD, Tenancy.Kind.FACTORED)


def demo_accounts() -> None:
    if RentAccount.objects.exists():
        return
    chance = random.Random(13)  # noqa: S311 (demo data, seeded on purpose)
    found = Tenancy.objects.filter(is_test=False).order_by("id").values_list("id", "reference", "kind", "end_date")
    batch: list[tuple[int, str, str, datetime.date | None]] = []
    for tenancy in found.iterator(CHUNK):
        batch.append(tenancy)
        if len(batch) == CHUNK:
            _write(batch, chance)
            batch = []
    _write(batch, chance)
    _alice_pays_by_direct_debit()


def _alice_pays_by_direct_debit() -> None:
    """The demo's Alice pays her rent by Direct Debit (the sandbox provider's), so "Direct
    Debit" on her account shows one to change or stop."""
    lead = Membership.objects.current().filter(person__email=demo_email("alice")).first()
    account = RentAccount.objects.filter(tenancy_id=lead.tenancy_id).first() if lead else None
    if lead is None or account is None:
        return
    DirectDebitMandate.objects.create(
        attempt_key=uuid4(),
        account=account,
        tenancy_id=account.tenancy_id,
        requested_by_id=lead.person_id,
        status=DirectDebitMandate.Status.ACTIVE,
        provider="sandbox",
        provider_id=f"sandbox-{uuid4()}",
        account_ending="45",
        collection_day=1,
        amount_pence=account.charge_pence * 52 // 12,  # a weekly charge, collected monthly
    )


def _write(tenancies: list[tuple[int, str, str, datetime.date | None]], chance: random.Random) -> None:
    accounts, histories = [], []
    now = timezone.now()
    today = timezone.localdate()
    for tenancy_id, reference, kind, end_date in tenancies:
        rent = kind not in SERVICE_CHARGED
        charge = chance.randrange(8500, 14500) if rent else chance.randrange(2000, 7000)
        last = min(today, end_date - datetime.timedelta(days=1)) if end_date else today
        lines = list(_history(chance, charge, last, "Rent and service charges" if rent else "Service charges"))
        balance = sum(amount for _, _, _, amount in lines)
        accounts.append(
            RentAccount(
                hms_reference=f"RA-{reference}",
                tenancy_id=tenancy_id,
                kind=RentAccount.Kind.RENT if rent else RentAccount.Kind.SERVICE_CHARGE,
                balance_pence=balance,
                balance_at=now,
                charge_pence=charge,
                charge_every=Frequency.WEEK,
                next_due_pence=None if end_date else charge,
                next_due_on=None if end_date else _next_monday(today),
            )
        )
        histories.append(lines)
    RentAccount.objects.bulk_create(accounts, batch_size=CHUNK)
    AccountTransaction.objects.bulk_create(
        (
            AccountTransaction(
                hms_reference=f"TX-{account.hms_reference[3:]}-{number:03d}",
                account_id=account.pk,
                tenancy_id=account.tenancy_id,
                posted_on=posted_on,
                kind=kind,
                description=description,
                amount_pence=amount,
            )
            for account, lines in zip(accounts, histories, strict=True)
            for number, (posted_on, kind, description, amount) in enumerate(lines, start=1)
        ),
        batch_size=CHUNK,
    )


def _history(
    chance: random.Random, charge: int, last: datetime.date, charged_for: str
) -> Iterator[tuple[datetime.date, str, str, int]]:
    """Eight weeks up to `last`: brought forward, then each week's charge and what was paid."""
    Kind = AccountTransaction.Kind
    start = last - WEEKS * WEEK
    owed = chance.choice((0, 0, 0, 0, 0, chance.randrange(5000, 60000), -chance.randrange(1000, 20000)))
    yield start, Kind.ADJUSTMENT, "Balance brought forward", owed
    misses = chance.random() < 0.2  # about one household in five misses some payments
    benefit = chance.random() < 0.4
    for week in range(WEEKS):
        monday = _next_monday(start + week * WEEK)
        if monday > last:
            break
        yield monday, Kind.CHARGE, charged_for, charge
        if misses and chance.random() < 0.4:
            continue
        paid_on = monday + datetime.timedelta(days=chance.randrange(0, 4))
        if paid_on <= last:
            if benefit:
                yield paid_on, Kind.BENEFIT, "Universal Credit housing costs", -charge
            else:
                yield paid_on, Kind.PAYMENT, "Payment, thank you", -charge


def _next_monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)
