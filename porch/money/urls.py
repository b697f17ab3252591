"""Residents' rent and service-charge accounts under /rent/, and the staff pages about money
(staff_urls.py, and the income team's payment arrangements under /staff/income/arrangements/)."""

from django.urls import path

from porch.money import arrangement_views, direct_debit_views, invoice_views, payment_views, staff_urls, views

app_name = "money"
urlpatterns = [
    path("rent/", views.account_list, name="accounts"),
    path("rent/<uuid:code>/", views.account_detail, name="account"),
    path("rent/<uuid:code>/statement/", views.statement, name="statement"),
    path("rent/<uuid:code>/pay/", payment_views.pay, name="pay"),
    path("rent/payments/<uuid:code>/", payment_views.payment_detail, name="payment"),
    path("rent/payments/sandbox/<uuid:code>/", payment_views.sandbox_pay, name="sandbox_pay"),
    path("payments/callback/", payment_views.payment_callback, name="payment_callback"),
    path("rent/<uuid:code>/direct-debit/", direct_debit_views.direct_debit, name="direct_debit"),
    path("rent/<uuid:code>/direct-debit/new/", direct_debit_views.direct_debit_new, name="direct_debit_new"),
    path("rent/<uuid:code>/direct-debit/change/", direct_debit_views.direct_debit_change, name="direct_debit_change"),
    path("rent/<uuid:code>/direct-debit/stop/", direct_debit_views.direct_debit_stop, name="direct_debit_stop"),
    path("payments/direct-debit/callback/", direct_debit_views.direct_debit_callback, name="direct_debit_callback"),
    *staff_urls.urlpatterns,
    path("rent/<uuid:code>/arrangement/", arrangement_views.propose, name="arrangement_propose"),
    path("rent/arrangements/<uuid:code>/sent/", arrangement_views.sent, name="arrangement_sent"),
    path("rent/arrangements/<uuid:code>/withdraw/", arrangement_views.withdraw, name="arrangement_withdraw"),
    path("staff/income/arrangements/", arrangement_views.staff_queue, name="staff_arrangements"),
    path("staff/income/arrangements/<uuid:code>/", arrangement_views.staff_detail, name="staff_arrangement"),
    path(
        "staff/income/arrangements/<uuid:code>/decide/", arrangement_views.staff_decide, name="staff_arrangement_decide"
    ),
    path("rent/invoices/<uuid:code>/", invoice_views.invoice_detail, name="invoice"),
    path("rent/invoices/<uuid:code>/pdf/", invoice_views.invoice_download, name="invoice_pdf"),
]
PAGES = {
    "money:accounts": "Residents: Your rent and service charges",
    "money:account": "Residents: A rent or service-charge account and its transactions",
    "money:statement": "Residents: A statement of a rent or service-charge account (PDF or CSV)",
    "money:pay": "Residents: Pay into a rent or service-charge account by card",
    "money:payment": "Residents: Whether a card payment went through",
    "money:sandbox_pay": "Residents: The demo's pretend card payment page",
    "money:payment_callback": "The card payment provider: how a payment ended (signed)",
    "money:direct_debit": "Residents: The Direct Debit for a rent or service-charge account",
    "money:direct_debit_new": "Residents: Set up a Direct Debit (bank details go to the provider)",
    "money:direct_debit_change": "Residents: Change a Direct Debit's day or amount",
    "money:direct_debit_stop": "Residents: Stop a Direct Debit",
    "money:direct_debit_callback": "The Direct Debit provider: how a mandate stands (signed)",
    "money:arrangement_propose": "Residents: Ask to pay off arrears in instalments",
    "money:arrangement_sent": "Residents: An arrangement to pay off arrears, sent",
    "money:arrangement_withdraw": "Residents: Withdraw an arrangement to pay off arrears",
    "money:staff_arrangements": "Staff: Payment arrangements waiting for a decision",
    "money:staff_arrangement": "Staff: A payment arrangement",
    "money:staff_arrangement_decide": "Staff: Decide a payment arrangement",
    "money:invoice": "Residents: A homeowner's service-charge invoice and its breakdown",
    "money:invoice_pdf": "Residents: A homeowner's service-charge invoice as a PDF",
}
