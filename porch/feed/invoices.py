"""Homeowners' service-charge invoices: the service charge invoices file (ADR 0025).

One row per line of an invoice: the invoice's own reference, account, period and dates
(repeated on each of its lines), and the line's shared cost for the block or estate, the
owner's share of it as the housing system wrote it, and what that comes to. A line whose
amount is not its share of the cost (to the nearest penny) is refused, so the invoice's total,
the sum of its lines, is only ever made of shares that add up.

An invoice stays with its account and a line with its invoice. A chunk writes one audit row per
invoice it touched and per account holder ("invoice added from the housing system")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from porch.audit.services import Seen
from porch.feed import columns as c
from porch.feed.effects import audit
from porch.feed.loading import CHANGED, CREATED, UNCHANGED, Outcome, Parsed, Plan, Run, differences, given, refuse
from porch.feed.rent import NO_ACCOUNT, account_holders
from porch.feed.saving import changed_rows_save
from porch.money.invoices import share_agrees, share_amount, share_of, written
from porch.money.kinds import SERVICE_CHARGE_INVOICE
from porch.money.models import InvoiceLine, RentAccount, ServiceChargeInvoice
from porch.money.templatetags.money import pounds

INVOICE_FIELDS = {"period_from": "period_from", "period_to": "period_to", "issued_on": "issued_on", "due_on": "due_on"}
LINE_FIELDS = {
    "heading": "heading",
    "description": "description",
    "block_cost": "block_cost_pence",
    "share": "share",
    "amount": "amount_pence",
}


def share(value: str) -> str:
    """A share as a fraction or a percentage, kept as written (without spaces)."""
    try:
        share_of(value)
    except ValueError as bad:
        raise c.BadValue(str(bad)) from None
    if len(written(value)) > 20:
        raise c.BadValue("A share is at most 20 characters, like 1/24 or 4.1667%.")
    return written(value)


class ServiceChargeInvoices:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="service_charge_invoices",
        title="Homeowners' service-charge invoices",
        about="One row per line of an invoice: each line is one shared cost of the block or estate, the owner's "
        "share of it and what that comes to. The invoice's reference, account, period and dates are repeated on "
        "each of its lines, the same on every one. The invoice's total is the sum of its lines' amounts. A line "
        "whose amount is not the whole cost times the share, to the nearest penny, is refused. Invoices are for "
        "service-charge accounts only. Amounts are pounds and pence, no £ sign.",
        key="line_ref",
        columns=(
            c.Column(
                "line_ref",
                "The housing system's reference for this line, unique across every invoice (for example the "
                "invoice's reference and the line's number).",
                c.reference,
                example="SCI-0412/1",
            ),
            c.Column("invoice_ref", "The housing system's reference for the invoice.", c.reference, example="SCI-0412"),
            c.Column(
                "account_ref",
                "The service-charge account it is for (its account_ref).",
                c.reference,
                example="RA-0012345",
            ),
            c.Column(
                "period_from", "The first day of the period it is for, year-month-day.", c.date, example="2026-04-01"
            ),
            c.Column("period_to", "The last day of the period, year-month-day.", c.date, example="2026-09-30"),
            c.Column("issued_on", "The day the invoice was issued, year-month-day.", c.date, example="2026-03-02"),
            c.Column("due_on", "The day it is due, year-month-day.", c.date, example="2026-04-01"),
            c.Column(
                "heading",
                "The kind of shared cost.",
                c.choice(InvoiceLine.Heading.values),
                example="cleaning",
            ),
            c.Column(
                "description",
                "What it was for, as the owner may read it.",
                c.text(200),
                example="Stair cleaning, weekly",
            ),
            c.Column(
                "block_cost",
                "The whole cost for the block or estate; below 0 for a credit.",
                c.pounds,
                example="3120.00",
            ),
            c.Column(
                "share",
                "The owner's share of it, as the lease or the housing system writes it: a fraction or a percentage.",
                share,
                example="1/24",
            ),
            c.Column("amount", "What the owner's share comes to.", c.pounds, example="130.00"),
        ),
        # After the memberships too: the audit rows name the account holders, so they must be here.
        load_after=("rent_accounts", "memberships"),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        here = {
            line.hms_reference: line for line in InvoiceLine.objects.filter(hms_reference__in=[r.key for r in rows])
        }
        invoices = {
            i.hms_reference: i
            for i in ServiceChargeInvoice.objects.filter(hms_reference__in={r.values["invoice_ref"] for r in rows})
        }
        accounts = {
            str(reference): (pk, tenancy, kind)
            for reference, pk, tenancy, kind in RentAccount.objects.filter(
                hms_reference__in={r.values["account_ref"] for r in rows}
            ).values_list("hms_reference", "id", "tenancy_id", "kind")
        }
        return [self._plan_one(run, row, here.get(row.key), invoices, accounts) for row in rows]

    def _plan_one(
        self,
        run: Run,
        row: Parsed,
        line: InvoiceLine | None,
        invoices: dict[str, ServiceChargeInvoice],
        accounts: dict[str, tuple[int, int, str]],
    ) -> Plan | Outcome:
        account = accounts.get(row.values["account_ref"])
        if account is None:
            return refuse(row, "account_ref", NO_ACCOUNT)
        if account[2] != RentAccount.Kind.SERVICE_CHARGE:
            return refuse(row, "account_ref", "This is a rent account: invoices are for service-charge accounts.")
        problem = _invoice_problem(run, row, invoices.get(row.values["invoice_ref"]), account[0])
        if problem is not None:
            return problem
        problem = _share_problem(row)
        if problem is not None:
            return problem
        invoice = invoices.get(row.values["invoice_ref"])
        extra = {"account": account}
        if line is None:
            return Plan(row, Outcome(row.line, CREATED, note=f"{row.key}: a new line"), extra=extra)
        if invoice is None or line.invoice_id != invoice.pk:
            return refuse(row, "invoice_ref", "A line stays with its invoice: give a new line its own line_ref.")
        changed = differences(line, given(row, LINE_FIELDS)) + differences(invoice, given(row, INVOICE_FIELDS))
        if not changed:
            return Plan(row, Outcome(row.line, UNCHANGED), record=line)
        outcome = Outcome(row.line, CHANGED, note=f"{row.key}: corrected ({', '.join(_words(changed))})")
        return Plan(row, outcome, record=line, changed=changed, extra=extra)

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        """Each plan's invoice is looked up again here, so that writing the chunk a row at a
        time (after the database refused it whole) still makes one invoice of many lines."""
        references = {plan.parsed.values["invoice_ref"] for plan in plans}
        invoices = {i.hms_reference: i for i in ServiceChargeInvoice.objects.filter(hms_reference__in=references)}
        new: dict[str, ServiceChargeInvoice] = {}
        corrected: dict[str, ServiceChargeInvoice] = {}
        for plan in plans:
            reference, account = plan.parsed.values["invoice_ref"], plan.extra["account"]
            found = invoices.get(reference) or new.get(reference)
            if found is None:
                fields = given(plan.parsed, INVOICE_FIELDS)
                new[reference] = ServiceChargeInvoice(
                    hms_reference=reference, account_id=account[0], tenancy_id=account[1], **fields
                )
            elif differences(found, given(plan.parsed, INVOICE_FIELDS)):
                corrected[reference] = found
        ServiceChargeInvoice.objects.bulk_create(new.values())
        changed_rows_save(ServiceChargeInvoice, list(corrected.values()), list(INVOICE_FIELDS.values()))
        invoices |= new
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                hms_reference=plan.parsed.key,
                invoice_id=invoices[plan.parsed.values["invoice_ref"]].pk,
                tenancy_id=plan.extra["account"][1],
                **given(plan.parsed, LINE_FIELDS),
            )
            for plan in plans
            if plan.outcome.result == CREATED
        )
        lines = [plan.record for plan in plans if plan.outcome.result == CHANGED]
        changed_rows_save(InvoiceLine, lines, list(LINE_FIELDS.values()))
        touched = {invoices[plan.parsed.values["invoice_ref"]] for plan in plans}
        _audit(run, touched, added=set(new))


def _invoice_problem(run: Run, row: Parsed, invoice: ServiceChargeInvoice | None, account_id: int) -> Outcome | None:
    """Why the row's invoice cannot be as it says, or None: its dates out of order, another
    account than the invoice's, or other dates than an earlier line of it in this file."""
    values = row.values
    if values["period_to"] < values["period_from"]:
        return refuse(row, "period_to", "The period ends before it starts.")
    if values["due_on"] < values["issued_on"]:
        return refuse(row, "due_on", "The invoice is due before it was issued.")
    if invoice is not None and invoice.account_id != account_id:
        return refuse(row, "account_ref", "An invoice stays with its account: a new account has new invoices.")
    header = (account_id, *(values[column] for column in INVOICE_FIELDS))
    first = run.remembered("invoices").setdefault(values["invoice_ref"], (row.line, header))
    if first[1] != header:
        return refuse(
            row,
            "invoice_ref",
            f"Line {first[0]} gives this invoice another account, period or dates: every line of an invoice "
            "carries the same.",
        )
    return None


def _share_problem(row: Parsed) -> Outcome | None:
    cost, written_share, amount = row.values["block_cost"], row.values["share"], row.values["amount"]
    if share_agrees(cost, share_of(written_share), amount):
        return None
    right = share_amount(cost, share_of(written_share))
    return refuse(
        row,
        "amount",
        f"The share does not add up: {written_share} of {_signed(cost)} is {_signed(right)}, not {_signed(amount)}. "
        "Check the whole cost, the share and the amount.",
    )


def _signed(pence: int) -> str:
    return ("-" if pence < 0 else "") + pounds(pence)


def _audit(run: Run, invoices: set[ServiceChargeInvoice], *, added: set[str]) -> None:
    """One audit row per invoice (and account holder) the chunk touched."""
    holders = account_holders(invoice.tenancy_id for invoice in invoices)
    reason = f"from the housing system (batch {run.batch_id})"
    seen = [
        Seen(
            invoice.uuid,
            holders.get(invoice.tenancy_id, [None]),
            invoice.tenancy_id,
            f"invoice {'added' if invoice.hms_reference in added else 'changed'} {reason}",
        )
        for invoice in sorted(invoices, key=lambda invoice: invoice.hms_reference)
    ]
    audit(run.actor, "update", SERVICE_CHARGE_INVOICE.key, seen)


WORDS = {"block_cost_pence": "whole cost", "amount_pence": "amount"}


def _words(fields: Sequence[str]) -> list[str]:
    return [WORDS.get(name, name.replace("_", " ")) for name in fields]
