"""The service-charge invoices file: one row per line, each line's amount checked against its
share of the block's cost, an invoice kept with its account and a line with its invoice, the
same file twice changing nothing, and one audit row per invoice and account holder."""

from __future__ import annotations

import datetime

import pytest

from conftest import Cast
from porch.audit.models import AccessEvent
from porch.feed.columns import BadValue
from porch.feed.invoices import ServiceChargeInvoices
from porch.feed.models import FeedBatch, FeedProblem
from porch.feed.rent import NO_ACCOUNT
from porch.feed.tests.files import applied, csv_bytes, previewed
from porch.money.models import InvoiceLine, RentAccount, ServiceChargeInvoice

pytestmark = pytest.mark.django_db
HEADER = [column.name for column in ServiceChargeInvoices.layout.columns]
AT = "2026-11-29T23:00:00+00:00"
SPRING = ("2026-04-01", "2026-09-30", "2026-03-02", "2026-04-01")


def line(
    ref: str, invoice: str, cost: str, share: str, amount: str, *, account: str = "SC-1", dates=SPRING
) -> list[str]:
    heading = {"1": "common_repairs", "2": "cleaning", "3": "insurance"}.get(ref[-1], "other")
    return [ref, invoice, account, *dates, heading, f"Cost {ref}", cost, share, amount]


def invoices(*rows: list[str]) -> bytes:
    return csv_bytes(HEADER, list(rows))


SPRING_INVOICE = (
    line("SCI-1/1", "SCI-1", "2400.00", "1/24", "100.00"),
    line("SCI-1/2", "SCI-1", "3120.00", "1 / 24", "130.00"),
    line("SCI-1/3", "SCI-1", "6000.00", "4.5%", "270.00"),
)


def problems(batch: FeedBatch) -> dict[int, tuple[str, str]]:
    found = batch.problems.filter(stage=FeedProblem.Stage.APPLY).values_list("line", "field", "why")
    return {number: (column, why) for number, column, why in found}


def audited() -> list[tuple[int | None, str]]:
    rows = AccessEvent.objects.filter(object_type="service_charge_invoice").order_by("id")
    return list(rows.values_list("subject_id", "reason"))


@pytest.fixture
def accounts(cast: Cast) -> Cast:
    """SC-1, Dan's service-charge account; RA-1, the Ashtons' rent account."""
    rows = [
        ["SC-1", cast["dunn"].tenancy.reference, "service_charge", "0", AT, "21.15", "week"],
        ["RA-1", cast["ashton"].tenancy.reference, "rent", "0", AT, "98.40", "week"],
    ]
    batch = applied(
        "rent_accounts",
        csv_bytes(["account_ref", "tenancy_ref", "kind", "balance", "balance_at", "charge", "charge_every"], rows),
    )
    assert batch.created == 2
    return cast


@pytest.mark.parametrize("text", ["0.5", "1/0", "0/24", "25/24", "101%", "-5%", "a quarter", "4.5 %x"])
def test_a_share_written_any_other_way_is_refused(text: str) -> None:
    share = next(column for column in ServiceChargeInvoices.layout.columns if column.name == "share")
    with pytest.raises(BadValue):
        share.value(text)


def test_an_invoice_goes_in_with_its_lines_and_its_total_is_their_sum(accounts: Cast) -> None:
    batch = applied("service_charge_invoices", invoices(*SPRING_INVOICE))
    assert (batch.created, batch.refused) == (3, 0)
    invoice = ServiceChargeInvoice.objects.get()
    assert invoice.account == RentAccount.objects.get(hms_reference="SC-1")
    assert invoice.tenancy == accounts["dunn"].tenancy
    assert (invoice.period_from, invoice.period_to) == (datetime.date(2026, 4, 1), datetime.date(2026, 9, 30))
    assert (invoice.issued_on, invoice.due_on) == (datetime.date(2026, 3, 2), datetime.date(2026, 4, 1))
    lines = list(InvoiceLine.objects.order_by("id").values_list("heading", "block_cost_pence", "share", "amount_pence"))
    assert lines == [
        ("common_repairs", 240000, "1/24", 10000),
        ("cleaning", 312000, "1/24", 13000),
        ("insurance", 600000, "4.5%", 27000),
    ]
    assert set(InvoiceLine.objects.values_list("tenancy_id", flat=True)) == {accounts["dunn"].tenancy.id}
    assert sum(amount for *_, amount in lines) == 50000
    # One audit row for the invoice, naming its account holder, not one per line.
    assert audited() == [
        (accounts["dunn"].people["dan"].id, f"invoice added from the housing system (batch {batch.pk})")
    ]


def test_a_share_rounded_either_way_to_the_penny_agrees(accounts: Cast) -> None:
    """1/3 of £100.00 is £33.333...: £33.33 and £33.34 both agree; £33.32 does not."""
    batch = applied(
        "service_charge_invoices",
        invoices(
            line("SCI-1/1", "SCI-1", "100.00", "1/3", "33.33"),
            line("SCI-1/2", "SCI-1", "100.00", "1/3", "33.34"),
            line("SCI-1/4", "SCI-1", "100.00", "1/3", "33.32"),
        ),
    )
    assert (batch.created, batch.refused) == (2, 1)


def test_a_line_whose_share_does_not_add_up_is_refused_alone_saying_why(accounts: Cast) -> None:
    batch = applied(
        "service_charge_invoices",
        invoices(
            SPRING_INVOICE[0],
            line("SCI-1/2", "SCI-1", "3120.00", "1/24", "140.00"),
            line("SCI-1/3", "SCI-1", "6000.00", "4.17%", "270.00"),
        ),
    )
    assert (batch.created, batch.refused) == (1, 2)
    assert problems(batch) == {
        3: (
            "amount",
            "The share does not add up: 1/24 of £3,120.00 is £130.00, not £140.00. "
            "Check the whole cost, the share and the amount.",
        ),
        4: (
            "amount",
            "The share does not add up: 4.17% of £6,000.00 is £250.20, not £270.00. "
            "Check the whole cost, the share and the amount.",
        ),
    }
    assert list(InvoiceLine.objects.values_list("hms_reference", flat=True)) == ["SCI-1/1"]


def test_the_same_file_twice_changes_nothing(accounts: Cast) -> None:
    applied("service_charge_invoices", invoices(*SPRING_INVOICE))
    events = AccessEvent.objects.count()
    again = applied("service_charge_invoices", invoices(*SPRING_INVOICE), name="again.csv")
    assert again.counts == {"read": 3, "created": 0, "changed": 0, "unchanged": 3, "refused": 0, "held": 0}
    assert (ServiceChargeInvoice.objects.count(), InvoiceLine.objects.count()) == (1, 3)
    assert AccessEvent.objects.count() == events


def test_a_correction_changes_the_invoice_and_is_audited_as_changed(accounts: Cast) -> None:
    applied("service_charge_invoices", invoices(*SPRING_INVOICE))
    later = ("2026-04-01", "2026-09-30", "2026-03-02", "2026-04-15")
    corrected = applied(
        "service_charge_invoices",
        invoices(line("SCI-1/1", "SCI-1", "2400.00", "1/24", "100.00", dates=later)),
        name="corrected.csv",
    )
    assert (corrected.changed, corrected.refused) == (1, 0)
    assert ServiceChargeInvoice.objects.get().due_on == datetime.date(2026, 4, 15)
    assert audited()[-1][1] == f"invoice changed from the housing system (batch {corrected.pk})"


def test_an_unknown_account_or_a_rent_account_is_refused(accounts: Cast) -> None:
    batch = applied(
        "service_charge_invoices",
        invoices(
            line("SCI-1/1", "SCI-1", "2400.00", "1/24", "100.00", account="SC-404"),
            line("SCI-2/1", "SCI-2", "2400.00", "1/24", "100.00", account="RA-1"),
        ),
    )
    assert (batch.created, batch.refused) == (0, 2)
    assert problems(batch) == {
        2: ("account_ref", NO_ACCOUNT),
        3: ("account_ref", "This is a rent account: invoices are for service-charge accounts."),
    }
    assert not ServiceChargeInvoice.objects.exists() and not audited()


def test_every_line_of_an_invoice_carries_the_same_dates(accounts: Cast) -> None:
    other = ("2026-04-01", "2026-09-30", "2026-03-02", "2026-05-01")
    batch = applied(
        "service_charge_invoices",
        invoices(SPRING_INVOICE[0], line("SCI-1/2", "SCI-1", "3120.00", "1/24", "130.00", dates=other)),
    )
    assert (batch.created, batch.refused) == (1, 1)
    assert problems(batch)[3] == (
        "invoice_ref",
        "Line 2 gives this invoice another account, period or dates: every line of an invoice carries the same.",
    )


def test_dates_out_of_order_are_refused(accounts: Cast) -> None:
    backwards = ("2026-09-30", "2026-04-01", "2026-03-02", "2026-04-01")
    early = ("2026-04-01", "2026-09-30", "2026-03-02", "2026-03-01")
    batch = applied(
        "service_charge_invoices",
        invoices(
            line("SCI-1/1", "SCI-1", "2400.00", "1/24", "100.00", dates=backwards),
            line("SCI-2/1", "SCI-2", "2400.00", "1/24", "100.00", dates=early),
        ),
    )
    assert problems(batch) == {
        2: ("period_to", "The period ends before it starts."),
        3: ("due_on", "The invoice is due before it was issued."),
    }


def test_an_invoice_stays_with_its_account_and_a_line_with_its_invoice(accounts: Cast) -> None:
    applied("service_charge_invoices", invoices(*SPRING_INVOICE))
    other = applied(
        "rent_accounts",
        csv_bytes(
            ["account_ref", "tenancy_ref", "kind", "balance", "balance_at", "charge", "charge_every"],
            [["SC-2", accounts["cole"].tenancy.reference, "service_charge", "0", AT, "21.15", "week"]],
        ),
        name="second-account.csv",
    )
    assert other.created == 1
    batch = applied(
        "service_charge_invoices",
        invoices(
            line("SCI-1/4", "SCI-1", "100.00", "1/2", "50.00", account="SC-2"),
            line("SCI-1/1", "SCI-9", "2400.00", "1/24", "100.00"),
        ),
        name="moved.csv",
    )
    assert batch.refused == 2
    assert problems(batch)[2][1] == "An invoice stays with its account: a new account has new invoices."
    assert problems(batch)[3][1] == "A line stays with its invoice: give a new line its own line_ref."
    assert ServiceChargeInvoice.objects.count() == 1


def test_the_preview_writes_nothing(accounts: Cast) -> None:
    batch = previewed("service_charge_invoices", invoices(*SPRING_INVOICE))
    assert batch.preview["created"] == 3
    assert not ServiceChargeInvoice.objects.exists() and not audited()
