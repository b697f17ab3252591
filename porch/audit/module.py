"""The audit log: who saw whose data, and the resident's own view of it."""

from porch.core.modules import AuditKind, Category, Module, Owner, PersonalModel, Reached, register

PRIVACY = Category(
    "privacy",
    "Privacy records and viewing as a resident",
    "records of who has looked at a person's data",
)
AUDIT_TRAIL = AuditKind(
    "audit_trail",
    "a person's audit trail",
    "privacy",
    words="the record of who has seen your information",
    reached=Reached.ALONE,
)

register(
    Module(
        app="audit",
        name="Audit log",
        personal=(
            PersonalModel("audit.AccessEvent", Owner.PERSON, "subject", written_about_anyone=True),
            # Staff members' roles, patches and training over time (for the exposure report).
            PersonalModel("audit.RoleHeld", Owner.STAFF, "user"),
            PersonalModel("audit.PatchHeld", Owner.STAFF, "user"),
            PersonalModel("audit.TrainingHeld", Owner.STAFF, "user"),
        ),
        categories=(PRIVACY,),
        audit_kinds=(AUDIT_TRAIL,),
        pages={},
    )
)
