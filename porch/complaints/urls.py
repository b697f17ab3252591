"""Complaints' pages, residents' and staff's, under the one "complaints" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from porch.complaints import staff_views, views

app_name = "complaints"

urlpatterns: list[URLPattern] = [
    path("complaints/", views.complaint_list, name="list"),
    path("complaints/new/", views.complaint_new, name="new"),
    path("complaints/<uuid:code>/", views.complaint_detail, name="detail"),
    path("complaints/<uuid:code>/stage-2/", views.complaint_escalate, name="escalate"),
    path("staff/complaints/", staff_views.staff_queue, name="staff_queue"),
    path("staff/complaints/figures/", staff_views.staff_figures, name="staff_figures"),
    path("staff/complaints/figures.csv", staff_views.staff_figures_csv, name="staff_figures_csv"),
    path("staff/complaints/<uuid:code>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/complaints/<uuid:code>/acknowledge/", staff_views.staff_acknowledge, name="staff_acknowledge"),
    path("staff/complaints/<uuid:code>/update/", staff_views.staff_update, name="staff_update"),
    path("staff/complaints/<uuid:code>/note/", staff_views.staff_note, name="staff_note"),
    path("staff/complaints/<uuid:code>/extend/", staff_views.staff_extend, name="staff_extend"),
    path("staff/complaints/<uuid:code>/respond/", staff_views.staff_respond, name="staff_respond"),
    path("staff/complaints/<uuid:code>/close/", staff_views.staff_close, name="staff_close"),
]

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {
    "complaints:list": "Residents: Your complaints",
    "complaints:new": "Residents: Make a complaint",
    "complaints:detail": "Residents: A complaint",
    "complaints:escalate": "Residents: Take a complaint to stage 2",
    "complaints:staff_queue": "Staff: Complaints queue",
    "complaints:staff_figures": "Staff: Complaints self-assessment figures",
    "complaints:staff_figures_csv": "Staff: Complaints self-assessment figures (CSV)",
    "complaints:staff_detail": "Staff: A complaint",
    "complaints:staff_acknowledge": "Staff: Acknowledge a complaint",
    "complaints:staff_update": "Staff: Publish an update on a complaint",
    "complaints:staff_note": "Staff: An internal note on a complaint",
    "complaints:staff_extend": "Staff: Extend a complaint's deadline",
    "complaints:staff_respond": "Staff: Respond to a complaint",
    "complaints:staff_close": "Staff: Close a complaint",
}
