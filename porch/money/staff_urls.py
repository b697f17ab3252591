"""The staff pages about money (the income team's under /staff/income/, and the card payment
lookup): included by urls.py in the "money" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from porch.money import refund_views, staff_views

urlpatterns: list[URLPattern] = [
    path("staff/income/arrears/", staff_views.arrears_list, name="arrears"),
    path("staff/income/accounts/<uuid:code>/", staff_views.staff_account, name="staff_account"),
    path("staff/payments/", staff_views.payment_lookup, name="staff_payments"),
    path("staff/income/card-payments/", staff_views.reconcile, name="reconcile"),
    path("staff/income/card-payments/<uuid:code>/check/", staff_views.reconcile_check, name="reconcile_check"),
    path("staff/income/card-payments/<uuid:code>/refund/", refund_views.refund_propose_page, name="refund_propose"),
    path("staff/income/refunds/", refund_views.refunds_waiting, name="refunds"),
    path("staff/income/refunds/<uuid:code>/", refund_views.refund_detail, name="refund"),
]

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {
    "money:arrears": "Staff: Rent and service-charge accounts in arrears",
    "money:staff_account": "Staff: A rent or service-charge account and its transactions",
    "money:reconcile": "Staff: Card payments against the housing system's record (income team)",
    "money:reconcile_check": "Staff: Ask the card payment provider about an unfinished payment",
    "money:refund_propose": "Staff: Propose a refund of a card payment (income officers)",
    "money:refunds": "Staff: Refunds waiting for a second income officer",
    "money:refund": "Staff: Approve or reject a refund (another income officer)",
    "money:staff_payments": "Staff: Whether a card payment went through (customer services, income, DPO)",
}
