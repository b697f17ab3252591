"""Rent and service-charge accounts and their transactions: the rent accounts and rent
transactions files.

The housing system owns the money. Porch keeps its word on each account (the balance as at
when it was worked out, the regular charge, the next amount due) and every transaction, and
works nothing out itself. An account stays with its tenancy and a transaction with its
account, so a new tenancy of a home starts with an account of its own and nothing of the last.

A transaction is written once and seldom corrected; a full load sends millions. So a chunk's
new transactions are written in one statement, and the audit log gets one row per account
and account holder a chunk ("12 transactions added"), not one a transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from porch.audit.services import Seen
from porch.core.bulk import rows_insert
from porch.feed import columns as c
from porch.feed.effects import audit
from porch.feed.loading import CHANGED, CREATED, UNCHANGED, Outcome, Parsed, Plan, Run, differences, given, refuse
from porch.feed.saving import changed_rows_save
from porch.feed.tenancies import NO_TENANCY, members_of, tenancy_ids_for
from porch.housing.models import Membership, normalise_reference
from porch.money.kinds import RENT_ACCOUNT
from porch.money.models import AccountTransaction, Frequency, RentAccount

ACCOUNT_FIELDS = {
    "kind": "kind",
    "balance": "balance_pence",
    "balance_at": "balance_at",
    "charge": "charge_pence",
    "charge_every": "charge_every",
    "next_due": "next_due_pence",
    "next_due_on": "next_due_on",
}
TRANSACTION_FIELDS = {
    "posted_on": "posted_on",
    "kind": "kind",
    "description": "description",
    "amount": "amount_pence",
    "payment_ref": "payment_reference",
}
NO_ACCOUNT = "No account here has this reference: send the rent accounts file first."


class RentAccounts:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="rent_accounts",
        title="Rent and service-charge accounts",
        about="Each tenancy's rent account, or a homeowner's service-charge account, as the housing system "
        "last worked it out. An account stays with its tenancy. Amounts are pounds and pence, no £ sign.",
        key="account_ref",
        columns=(
            c.Column(
                "account_ref", "The housing system's reference for the account.", c.reference, example="RA-0012345"
            ),
            c.Column("tenancy_ref", "The tenancy it is for (its tenancy_ref).", c.reference, example="T-0012345"),
            c.Column("kind", "rent or service_charge.", c.choice(RentAccount.Kind.values), example="rent"),
            c.Column(
                "balance",
                "What is owed: above 0 is arrears, below 0 is credit.",
                c.pounds,
                example="123.45",
            ),
            c.Column(
                "balance_at",
                "When the housing system worked the balance out, with its UTC offset.",
                c.moment,
                example="2026-11-29T23:00:00+00:00",
            ),
            c.Column(
                "charge",
                "The regular charge: rent and service charges together.",
                c.pounds_not_negative,
                example="98.40",
            ),
            c.Column("charge_every", "How often it is charged.", c.choice(Frequency.values), example="week"),
            c.Column("next_due", "The next amount due; empty if none.", c.pounds_not_negative, required=False),
            c.Column("next_due_on", "When it is due, year-month-day; empty if none.", c.date, required=False),
        ),
        # After the memberships too: the audit rows name the account holders, so they must be here.
        load_after=("tenancies", "memberships"),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        here = {a.hms_reference: a for a in RentAccount.objects.filter(hms_reference__in=[r.key for r in rows])}
        tenancies = tenancy_ids_for(rows)
        return [self._plan_one(row, here.get(row.key), tenancies) for row in rows]

    def _plan_one(self, row: Parsed, account: RentAccount | None, tenancies: dict[str, int]) -> Plan | Outcome:
        tenancy = tenancies.get(normalise_reference(row.values["tenancy_ref"]))
        if tenancy is None:
            return refuse(row, "tenancy_ref", NO_TENANCY)
        if ("next_due" in row.values) != ("next_due_on" in row.values) or (
            (row.values.get("next_due") is None) != (row.values.get("next_due_on") is None)
        ):
            return refuse(row, "next_due_on", "Give the next amount due and its date together, or neither.")
        if account is None:
            return Plan(
                row, Outcome(row.line, CREATED, note=f"{row.key}: a new account"), extra={"tenancy_id": tenancy}
            )
        if account.tenancy_id != tenancy:
            return refuse(row, "tenancy_ref", "An account stays with its tenancy: a new tenancy has a new account.")
        changed = differences(account, given(row, ACCOUNT_FIELDS))
        if not changed:
            return Plan(row, Outcome(row.line, UNCHANGED), record=account)
        outcome = Outcome(row.line, CHANGED, note=f"{row.key}: {', '.join(_words(changed))} changed")
        return Plan(row, outcome, record=account, changed=changed)

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        new = [
            RentAccount(
                hms_reference=plan.parsed.key, tenancy_id=plan.extra["tenancy_id"], **given(plan.parsed, ACCOUNT_FIELDS)
            )
            for plan in plans
            if plan.outcome.result == CREATED
        ]
        RentAccount.objects.bulk_create(new)
        changed = [plan for plan in plans if plan.outcome.result == CHANGED]
        changed_rows_save(RentAccount, [plan.record for plan in changed], list(ACCOUNT_FIELDS.values()))
        holders = account_holders([a.tenancy_id for a in new] + [p.record.tenancy_id for p in changed])
        reason = f"from the housing system (batch {run.batch_id})"
        seen = [Seen(a.uuid, holders.get(a.tenancy_id, [None]), a.tenancy_id, f"account added {reason}") for a in new]
        seen += [
            Seen(
                p.record.uuid,
                holders.get(p.record.tenancy_id, [None]),
                p.record.tenancy_id,
                f"{', '.join(_words(p.changed))} changed {reason}",
            )
            for p in changed
        ]
        audit(run.actor, "update", RENT_ACCOUNT.key, seen)


class RentTransactions:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="rent_transactions",
        title="Rent account transactions",
        about="Every charge, payment, benefit credit, adjustment and refund on an account. A transaction "
        "stays with its account; sending it again with a correction changes it. Send them oldest first.",
        key="transaction_ref",
        columns=(
            c.Column(
                "transaction_ref",
                "The housing system's reference for the transaction.",
                c.reference,
                example="TX-0998877",
            ),
            c.Column("account_ref", "The account (its account_ref).", c.reference, example="RA-0012345"),
            c.Column("posted_on", "The day it was posted, year-month-day.", c.date, example="2026-11-23"),
            c.Column("kind", "What it is.", c.choice(AccountTransaction.Kind.values), example="charge"),
            c.Column(
                "description", "What it is, as residents may read it.", c.text(200), example="Rent and service charges"
            ),
            c.Column(
                "amount",
                "What it adds to what is owed: a charge is above 0, a payment or credit below 0.",
                c.pounds,
                example="98.40",
            ),
            c.Column(
                "payment_ref",
                "For a card payment made in Porch: its reference, as Porch sent it (payment.received). "
                "The resident's account page then stops showing the payment as on its way.",
                c.text(20),
                required=False,
                example="PAY-7KQ3M9XA",
                empty="",
            ),
        ),
        load_after=("rent_accounts", "memberships"),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        here = {t.hms_reference: t for t in AccountTransaction.objects.filter(hms_reference__in=[r.key for r in rows])}
        accounts = {
            str(reference): (pk, tenancy, code)
            for reference, pk, tenancy, code in RentAccount.objects.filter(
                hms_reference__in={r.values["account_ref"] for r in rows}
            ).values_list("hms_reference", "id", "tenancy_id", "uuid")
        }
        return [self._plan_one(row, here.get(row.key), accounts) for row in rows]

    def _plan_one(
        self, row: Parsed, transaction: AccountTransaction | None, accounts: dict[str, tuple[int, int, Any]]
    ) -> Plan | Outcome:
        account = accounts.get(row.values["account_ref"])
        if account is None:
            return refuse(row, "account_ref", NO_ACCOUNT)
        if transaction is None:
            return Plan(row, Outcome(row.line, CREATED), extra={"account": account})
        if transaction.account_id != account[0]:
            return refuse(row, "account_ref", "A transaction stays with its account.")
        changed = differences(transaction, given(row, TRANSACTION_FIELDS))
        if not changed:
            return Plan(row, Outcome(row.line, UNCHANGED), record=transaction)
        outcome = Outcome(row.line, CHANGED, note=f"{row.key}: corrected ({', '.join(_words(changed))})")
        return Plan(row, outcome, record=transaction, changed=changed, extra={"account": account})

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        new = [plan for plan in plans if plan.outcome.result == CREATED]
        rows_insert(
            AccountTransaction,
            ("hms_reference", "account", "tenancy", *TRANSACTION_FIELDS.values()),
            (_new_transaction(plan) for plan in new),
        )
        changed = [plan for plan in plans if plan.outcome.result == CHANGED]
        changed_rows_save(AccountTransaction, [plan.record for plan in changed], list(TRANSACTION_FIELDS.values()))
        _audit(
            run,
            added=Counter(plan.extra["account"] for plan in new),
            corrected=Counter(p.extra["account"] for p in changed),
        )


def _new_transaction(plan: Plan) -> tuple[Any, ...]:
    """A new transaction's row; a file without the optional payment_ref column links no payment."""
    values = {"payment_reference": "", **given(plan.parsed, TRANSACTION_FIELDS)}
    return (plan.parsed.key, *plan.extra["account"][:2], *(values[field] for field in TRANSACTION_FIELDS.values()))


def _audit(run: Run, *, added: Counter[tuple[int, int, Any]], corrected: Counter[tuple[int, int, Any]]) -> None:
    """One audit row per account (and account holder) the chunk touched, saying how many."""
    holders = account_holders(account[1] for account in {*added, *corrected})
    reason = f"from the housing system (batch {run.batch_id})"
    seen = []
    for account in sorted({*added, *corrected}):
        said = [f"{_transactions(added[account])} added"] if added[account] else []
        said += [f"{corrected[account]} corrected"] if corrected[account] else []
        seen.append(Seen(account[2], holders.get(account[1], [None]), account[1], f"{', '.join(said)} {reason}"))
    audit(run.actor, "update", RENT_ACCOUNT.key, seen)


def _transactions(number: int) -> str:
    return f"{number} transaction{'' if number == 1 else 's'}"


def account_holders(tenancy_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each tenancy's account holders, past and present: whose data its account is."""
    return members_of(tenancy_ids, roles=Membership.ACCOUNT_ROLES)


WORDS = {"balance_pence": "balance", "charge_pence": "charge", "next_due_pence": "next due", "amount_pence": "amount"}


def _words(fields: Iterable[str]) -> list[str]:
    return [WORDS.get(name, name.replace("_", " ")) for name in fields]
