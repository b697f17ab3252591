"""Privacy incidents: reports from anyone, the escalation ladder, drills and the on-call rota."""

from porch.core.modules import AuditKind, Module, Owner, PersonalModel, register

INCIDENT = AuditKind("incident", "a privacy problem")
PRIVACY_REPORT = AuditKind("privacy_report", "a privacy problem report")
ON_CALL_SHIFT = AuditKind("on_call_shift", "the on-call rota")

register(
    Module(
        app="incidents",
        name="Privacy incidents",
        personal=(
            PersonalModel("incidents.Incident", Owner.STAFF, "owner"),
            # A report can name its maker and how to reach them.
            PersonalModel("incidents.PrivacyReport", Owner.STAFF, "incident"),
            PersonalModel("incidents.TimelineEntry", Owner.STAFF, "incident"),
            PersonalModel("incidents.OnCallShift", Owner.STAFF, "user"),
            PersonalModel("incidents.Notification", Owner.STAFF, "incident"),
        ),
        audit_kinds=(INCIDENT, PRIVACY_REPORT, ON_CALL_SHIFT),
        pages={
            "incidents:report": "Report a privacy problem",
            "incidents:acknowledge": "On call: acknowledge link in a call",
            "incidents:log_call": "Staff: Log a privacy problem call",
            "incidents:list": "Staff: Privacy problems",
            "incidents:incident": "Staff: A privacy problem",
            "incidents:incident_status": "Staff: Privacy problem: change its status",
            "incidents:incident_contain": "Staff: Privacy problem: stop it now",
            "incidents:incident_details": "Staff: Privacy problem: severity and summary",
            "incidents:incident_owner": "Staff: Privacy problem: owner",
            "incidents:incident_ico": "Staff: Privacy problem: decision to tell the ICO",
            "incidents:incident_ico_told": "Staff: Privacy problem: when the ICO was told",
            "incidents:incident_affected": "Staff: Privacy problem: decision to tell the people affected",
            "incidents:incident_review": "Staff: Privacy problem: post-incident review",
            "incidents:incident_join": "Staff: Privacy problem: join to the same problem",
            "incidents:incident_near_miss": "Staff: Privacy problem: record as a near miss",
            "incidents:incident_acknowledge": "Staff: Privacy problem: acknowledge",
            "incidents:near_miss_new": "Staff: Record a near miss",
            "incidents:drills": "Staff: Drills",
            "incidents:drill_start": "Staff: Start a drill",
            "incidents:rota": "Staff: On-call rota",
            "incidents:rota_remove": "Staff: Remove someone from the on-call rota",
        },
    )
)
