"""Residents' rent and service-charge accounts under /rent/, and the income team's payment
arrangements under /staff/income/arrangements/."""

from django.urls import path

from porch.money import arrangement_views, views

app_name = "money"
urlpatterns = [
    path("rent/", views.account_list, name="accounts"),
    path("rent/<uuid:code>/", views.account_detail, name="account"),
    path("rent/<uuid:code>/statement/", views.statement, name="statement"),
    path("rent/<uuid:code>/arrangement/", arrangement_views.propose, name="arrangement_propose"),
    path("rent/arrangements/<uuid:code>/sent/", arrangement_views.sent, name="arrangement_sent"),
    path("rent/arrangements/<uuid:code>/withdraw/", arrangement_views.withdraw, name="arrangement_withdraw"),
    path("staff/income/arrangements/", arrangement_views.staff_queue, name="staff_arrangements"),
    path("staff/income/arrangements/<uuid:code>/", arrangement_views.staff_detail, name="staff_arrangement"),
    path(
        "staff/income/arrangements/<uuid:code>/decide/", arrangement_views.staff_decide, name="staff_arrangement_decide"
    ),
]
PAGES = {
    "money:accounts": "Residents: Your rent and service charges",
    "money:account": "Residents: A rent or service-charge account and its transactions",
    "money:statement": "Residents: A statement of a rent or service-charge account (CSV)",
    "money:arrangement_propose": "Residents: Ask to pay off arrears in instalments",
    "money:arrangement_sent": "Residents: An arrangement to pay off arrears, sent",
    "money:arrangement_withdraw": "Residents: Withdraw an arrangement to pay off arrears",
    "money:staff_arrangements": "Staff: Payment arrangements waiting for a decision",
    "money:staff_arrangement": "Staff: A payment arrangement",
    "money:staff_arrangement_decide": "Staff: Decide a payment arrangement",
}
