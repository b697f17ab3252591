"""The staff pages of repairs: included by urls.py under the one "repairs" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from porch.repairs import staff_views

urlpatterns: list[URLPattern] = [
    path("staff/repairs/", staff_views.staff_queue_page, name="staff_queue"),
    path("staff/repairs/clocks/", staff_views.staff_clocks, name="staff_clocks"),
    path("staff/repairs/blocks/<uuid:code>/", staff_views.staff_block, name="staff_block"),
    path("staff/repairs/photos/<uuid:code>/", staff_views.staff_photo, name="staff_photo"),
    path("staff/repairs/<uuid:code>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/repairs/<uuid:code>/triage/", staff_views.staff_triage, name="staff_triage"),
    path("staff/repairs/<uuid:code>/assign/", staff_views.staff_assign, name="staff_assign"),
    path("staff/repairs/<uuid:code>/update/", staff_views.staff_update, name="staff_update"),
    path("staff/repairs/<uuid:code>/contractor-note/", staff_views.staff_contractor_note, name="staff_contractor_note"),
    path("staff/repairs/<uuid:code>/note/", staff_views.staff_note, name="staff_note"),
    path("staff/repairs/<uuid:code>/investigated/", staff_views.staff_investigated, name="staff_investigated"),
    path("staff/repairs/<uuid:code>/hazard/", staff_views.staff_hazard, name="staff_hazard"),
    path("staff/repairs/<uuid:code>/made-safe/", staff_views.staff_made_safe, name="staff_made_safe"),
    path("staff/repairs/<uuid:code>/summary-sent/", staff_views.staff_summary_sent, name="staff_summary_sent"),
    path("staff/repairs/<uuid:code>/close/", staff_views.staff_close, name="staff_close"),
]

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {
    "repairs:staff_queue": "Staff: Repairs queue",
    "repairs:staff_clocks": "Staff: Repair clocks due and breached",
    "repairs:staff_block": "Staff: A block's shared-area repairs",
    "repairs:staff_photo": "Staff: A repair's photo",
    "repairs:staff_detail": "Staff: A repair",
    "repairs:staff_triage": "Staff: Triage a repair",
    "repairs:staff_assign": "Staff: Assign a repair to a contractor",
    "repairs:staff_update": "Staff: Publish an update on a repair",
    "repairs:staff_contractor_note": "Staff: A note to a repair's contractor",
    "repairs:staff_note": "Staff: An internal note on a repair",
    "repairs:staff_investigated": "Staff: Record a damp and mould investigation",
    "repairs:staff_hazard": "Staff: Record an emergency damp and mould hazard",
    "repairs:staff_made_safe": "Staff: Record a hazard made safe",
    "repairs:staff_summary_sent": "Staff: Record a written summary sent",
    "repairs:staff_close": "Staff: Complete or cancel a repair",
}
