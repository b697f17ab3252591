"""Anti-social behaviour pages, the reporter's and the ASB team's, under the one "asb" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from porch.asb import staff_views, views

app_name = "asb"

urlpatterns: list[URLPattern] = [
    path("anti-social-behaviour/", views.report_list, name="list"),
    path("anti-social-behaviour/new/", views.report_new, name="new"),
    path("anti-social-behaviour/<uuid:code>/", views.report_detail, name="detail"),
    path("anti-social-behaviour/<uuid:code>/diary/", views.report_diary, name="diary"),
    path("staff/asb/", staff_views.staff_list, name="staff_list"),
    path("staff/asb/<uuid:code>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/asb/photos/<uuid:code>/", staff_views.staff_evidence, name="staff_evidence"),
    path("staff/asb/<uuid:code>/publish/", staff_views.staff_publish, name="staff_publish"),
    path("staff/asb/<uuid:code>/note/", staff_views.staff_note, name="staff_note"),
    path("staff/asb/<uuid:code>/risk/", staff_views.staff_risk, name="staff_risk"),
    path("staff/asb/<uuid:code>/share/", staff_views.staff_share, name="staff_share"),
    path("staff/asb/<uuid:code>/close/", staff_views.staff_close, name="staff_close"),
]

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {
    "asb:list": "Residents: Your anti-social behaviour reports",
    "asb:new": "Residents: Report anti-social behaviour",
    "asb:detail": "Residents: An anti-social behaviour report",
    "asb:diary": "Residents: Add to an anti-social behaviour diary",
    "asb:staff_list": "Staff: Anti-social behaviour cases",
    "asb:staff_detail": "Staff: An anti-social behaviour case",
    "asb:staff_evidence": "Staff: Download an anti-social behaviour evidence photo",
    "asb:staff_publish": "Staff: Publish an action plan or update to an ASB reporter",
    "asb:staff_note": "Staff: An internal note, action or witness statement on an ASB case",
    "asb:staff_risk": "Staff: Assess the risk on an ASB case",
    "asb:staff_share": "Staff: Share an ASB case with the patch's housing officer",
    "asb:staff_close": "Staff: Close an ASB case",
}
