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
    path("anti-social-behaviour/files/<uuid:code>/", views.report_file, name="file"),
    path("staff/asb/", staff_views.staff_list, name="staff_list"),
    path("staff/asb/<uuid:code>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/asb/files/<uuid:code>/", staff_views.staff_evidence, name="staff_evidence"),
    path("staff/asb/<uuid:code>/link/", staff_views.staff_link, name="staff_link"),
    path("staff/asb/<uuid:code>/unlink/", staff_views.staff_unlink, name="staff_unlink"),
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
    "asb:file": "Residents: Download a photo or recording they sent with an anti-social behaviour report",
    "asb:staff_list": "Staff: Anti-social behaviour cases",
    "asb:staff_detail": "Staff: An anti-social behaviour case",
    "asb:staff_evidence": "Staff: Download an anti-social behaviour evidence photo or recording",
    "asb:staff_link": "Staff: Find and link the record of the person an ASB report names",
    "asb:staff_unlink": "Staff: Remove the link from an ASB report to a person's record",
    "asb:staff_publish": "Staff: Publish an action plan or update to an ASB reporter",
    "asb:staff_note": "Staff: An internal note, action or witness statement on an ASB case",
    "asb:staff_risk": "Staff: Assess the risk on an ASB case",
    "asb:staff_share": "Staff: Share an ASB case with the patch's housing officer",
    "asb:staff_close": "Staff: Close an ASB case",
}
