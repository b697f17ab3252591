"""The staff's own tools: search, records, break glass, viewing as a resident, letters."""

from porch.core.modules import AuditKind, Module, Owner, PersonalModel, Reached, register

# Told to the resident: the privacy page says who started and stopped seeing their account as they see it.
VIEW_AS_SESSION = AuditKind(
    "view_as_session", "viewing as a resident", "privacy", words="your information", reached=Reached.ALONE
)
BREAK_GLASS = AuditKind("break_glass", "a record opened outside a patch")

register(
    Module(
        app="staff",
        name="Staff tools",
        personal=(
            PersonalModel("staff.BreakGlass", Owner.TENANCY, "tenancy"),
            PersonalModel("staff.ViewAsSession", Owner.PERSON, "person"),
        ),
        audit_kinds=(VIEW_AS_SESSION, BREAK_GLASS),
        pages={
            "staff:home": "Staff: Home",
            "staff:tenancy_search": "Staff: Find a tenancy",
            "staff:tenancy_detail": "Staff: Tenancy record",
            "staff:person_audit": "Staff: A person's audit trail",
            "staff:view_as_start": "Staff: Start viewing as a resident",
            "staff:view_as_end": "Staff: Stop viewing as a resident",
            "staff:test_residents": "Staff: Test residents",
            "staff:test_outbox": "Staff: Test residents' messages",
            "staff:letters": "Staff: Activation letters",
            "staff:letter_pdf": "Staff: Print an activation letter",
            "staff:letter_printed": "Staff: Mark an activation letter printed",
            "staff:help_requests": "Staff: Sign-up help requests",
            "staff:break_glass": "Staff: Open a record outside your patch",
            "staff:break_glass_reviews": "Staff: Records opened outside a patch, to review",
            "staff:break_glass_reviewed": "Staff: Mark a record opened outside a patch reviewed",
        },
    )
)
