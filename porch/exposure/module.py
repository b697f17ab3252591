"""Exposure reports: whose data reached whom, for the Data Protection Officer."""

from porch.core.modules import AuditKind, Module, Owner, PersonalModel, register

# The reports are personal data themselves: reading one is recorded.
EXPOSURE_REPORT = AuditKind("exposure_report", "a report from the audit log", "privacy")

register(
    Module(
        app="exposure",
        name="Exposure reports",
        audit_kinds=(EXPOSURE_REPORT,),
        # A finished report names the people affected (with contact details) and who
        # received their data: the DPO's alone, and deleted after KEEP_DAYS (ADR 0015).
        personal=(PersonalModel("exposure.ExposureRun", Owner.STAFF, "requested_by"),),
        pages={
            "exposure:report": "Staff: Exposure report (whose data reached whom)",
            "exposure:run": "Staff: Exposure report asked for (progress, then the report)",
            "exposure:run_retry": "Staff: Exposure report: try again",
            "exposure:people_csv": "Staff: Exposure report: people affected (spreadsheet)",
            "exposure:recipients_csv": "Staff: Exposure report: who received data (spreadsheet)",
            "exposure:who_saw": "Staff: Who saw a person's data",
            "exposure:who_saw_csv": "Staff: Who saw a person's data (spreadsheet)",
            "exposure:session": "Staff: What one session saw",
            "exposure:session_csv": "Staff: What one session saw (spreadsheet)",
            "exposure:ico_report": "Staff: Draft report to the ICO",
        },
    )
)
