"""Residents' rent and service-charge accounts under /rent/, and the income team's pages
(staff_urls.py)."""

from django.urls import path

from porch.money import staff_urls, views

app_name = "money"
urlpatterns = [
    path("rent/", views.account_list, name="accounts"),
    path("rent/<uuid:code>/", views.account_detail, name="account"),
    path("rent/<uuid:code>/statement/", views.statement, name="statement"),
    *staff_urls.urlpatterns,
]
PAGES = {
    "money:accounts": "Residents: Your rent and service charges",
    "money:account": "Residents: A rent or service-charge account and its transactions",
    "money:statement": "Residents: A statement of a rent or service-charge account (CSV)",
}
