"""The feed's staff pages, under /staff/feed/ (config/urls.py), in the "feed" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from porch.feed import staff_views

app_name = "feed"
urlpatterns: list[URLPattern] = [
    path("", staff_views.staff_list, name="staff_list"),
    path("held/", staff_views.staff_held, name="staff_held"),
    path("held/<uuid:code>/", staff_views.staff_held_decide, name="staff_held_decide"),
    path("<uuid:code>/", staff_views.staff_batch, name="staff_batch"),
    path("<uuid:code>/problems.csv", staff_views.staff_problems, name="staff_problems"),
    path("<uuid:code>/apply/", staff_views.staff_apply, name="staff_apply"),
    path("<uuid:code>/withdraw/", staff_views.staff_withdraw, name="staff_withdraw"),
]

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {
    "feed:staff_list": "Staff: Housing record batches",
    "feed:staff_held": "Staff: People held by the housing record feed",
    "feed:staff_held_decide": "Staff: Decide about a held person",
    "feed:staff_batch": "Staff: A housing record batch",
    "feed:staff_problems": "Staff: A housing record batch's problems (CSV)",
    "feed:staff_apply": "Staff: Apply a housing record batch",
    "feed:staff_withdraw": "Staff: Withdraw a housing record batch",
}
