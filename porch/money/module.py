"""Money: the rent and service-charge accounts the housing system keeps, as residents and the
income team see them (and, to come, payments: issue 13). Loaded by the housing record feed."""

from porch.core.modules import Link, Module, Owner, Panel, PersonalModel, Switch, register
from porch.money.arrangement_demo import demo_arrangement
from porch.money.demo import demo_accounts
from porch.money.invoice_demo import demo_invoices
from porch.money.kinds import (
    ACCOUNT_READERS,
    CARD_PAYMENT,
    DIRECT_DEBIT,
    MONEY_DATA,
    PAYMENT_ARRANGEMENT,
    PAYMENT_READERS,
    RENT_ACCOUNT,
    SERVICE_CHARGE_INVOICE,
)
from porch.money.staff_urls import PAGES as STAFF_PAGES
from porch.money.subjects import ACCOUNT_SUBJECT
from porch.money.synthetic import probe_ids, synthetic_accounts_create
from porch.money.urls import PAGES
from porch.money.views import home_panel

MONEY = Switch("money", "Rent and service charges")


def demo() -> None:
    """The accounts first: the waiting arrangement and Dan's invoices are on them."""
    demo_accounts()
    demo_arrangement()
    demo_invoices()


register(
    Module(
        app="money",
        name="Rent and money",
        switch=MONEY,
        personal=(
            PersonalModel("money.RentAccount", Owner.TENANCY, "tenancy", staff_readers=ACCOUNT_READERS),
            # Customer services see whether a card payment has reached the account (payments_for_staff).
            PersonalModel("money.AccountTransaction", Owner.TENANCY, "tenancy", staff_readers=PAYMENT_READERS),
            PersonalModel("money.Payment", Owner.TENANCY, "tenancy", staff_readers=PAYMENT_READERS),
            PersonalModel("money.DirectDebitMandate", Owner.TENANCY, "tenancy", staff_readers=ACCOUNT_READERS),
            PersonalModel("money.PaymentArrangement", Owner.TENANCY, "tenancy", staff_readers=ACCOUNT_READERS),
            PersonalModel("money.Refund", Owner.TENANCY, "tenancy", staff_readers=ACCOUNT_READERS),
            PersonalModel("money.ServiceChargeInvoice", Owner.TENANCY, "tenancy", staff_readers=ACCOUNT_READERS),
            PersonalModel("money.InvoiceLine", Owner.TENANCY, "tenancy", staff_readers=ACCOUNT_READERS),
        ),
        categories=(MONEY_DATA,),
        audit_kinds=(RENT_ACCOUNT, CARD_PAYMENT, DIRECT_DEBIT, PAYMENT_ARRANGEMENT, SERVICE_CHARGE_INVOICE),
        pages={**PAGES, **STAFF_PAGES},
        resident_links=(Link("money:accounts", "Rent and service charges"),),
        staff_links=(
            Link("money:arrears", "Rent arrears", "accounts owing money, by amount, weeks and kind"),
            Link("money:staff_arrangements", "Payment arrangements", "residents' offers to pay off arrears, to decide"),
            Link("money:staff_payments", "Card payments", "whether a resident's payment went through"),
            Link("money:refunds", "Refunds to approve", "card payment refunds another income officer proposed"),
            Link("money:reconcile", "Card payments to reconcile", "paid here and not posted, posted and not paid here"),
        ),
        home_panels=(Panel("money/home_panel.html", home_panel),),
        probe_ids=probe_ids,
        synthetic=synthetic_accounts_create,
        subjects=(ACCOUNT_SUBJECT,),
        demo=demo,
    )
)
