"""The resident pages of repairs: included by urls.py under the one "repairs" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from porch.repairs import resident_views as views

urlpatterns: list[URLPattern] = [
    path("repairs/", views.repair_list, name="list"),
    path("repairs/report/", views.report, name="report"),
    path("repairs/report/emergency/", views.report_emergency, name="report_emergency"),
    path("repairs/report/which-home/", views.report_home, name="report_home"),
    path("repairs/report/where/", views.report_where, name="report_where"),
    path("repairs/report/area/", views.report_area, name="report_area"),
    path("repairs/report/what/", views.report_category, name="report_category"),
    path("repairs/report/describe/", views.report_description, name="report_description"),
    path("repairs/report/photos/", views.report_photos, name="report_photos"),
    path("repairs/report/access/", views.report_access, name="report_access"),
    path("repairs/report/contact/", views.report_contact, name="report_contact"),
    path("repairs/report/appointment/", views.report_slot, name="report_slot"),
    path("repairs/report/check/", views.report_check, name="report_check"),
    path("repairs/photos/<uuid:code>/", views.photo, name="photo"),
    path("repairs/<uuid:code>/", views.detail, name="detail"),
    path("repairs/<uuid:code>/reported/", views.reported, name="reported"),
    path("repairs/<uuid:code>/appointment/", views.appointment_change, name="appointment_change"),
    path("repairs/<uuid:code>/appointment/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("repairs/<uuid:code>/cancel/", views.cancel, name="cancel"),
]

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {
    "repairs:list": "Residents: Your repairs",
    "repairs:report": "Residents: Report a repair (is it an emergency?)",
    "repairs:report_emergency": "Residents: Report a repair (what to do in an emergency)",
    "repairs:report_home": "Residents: Report a repair (which home)",
    "repairs:report_where": "Residents: Report a repair (where)",
    "repairs:report_area": "Residents: Report a repair (which part of the home)",
    "repairs:report_category": "Residents: Report a repair (what the problem is)",
    "repairs:report_description": "Residents: Report a repair (description)",
    "repairs:report_photos": "Residents: Report a repair (photos)",
    "repairs:report_access": "Residents: Report a repair (letting us in)",
    "repairs:report_contact": "Residents: Report a repair (contact details)",
    "repairs:report_slot": "Residents: Report a repair (appointment)",
    "repairs:report_check": "Residents: Report a repair (check your answers)",
    "repairs:reported": "Residents: Repair reported",
    "repairs:detail": "Residents: A repair",
    "repairs:photo": "Residents: A photo of a repair",
    "repairs:appointment_change": "Residents: Book or change a repair appointment",
    "repairs:appointment_cancel": "Residents: Cancel a repair appointment",
    "repairs:cancel": "Residents: Cancel a repair",
}
