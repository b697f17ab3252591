"""The portal as a whole: its master switch and its public pages."""

from porch.core.modules import AuditKind, Module, Owner, PersonalModel, Switch, register

PORTAL = Switch("portal", "The whole portal")
ADMIN = AuditKind("admin", "the settings (admin)")

register(
    Module(
        app="core",
        name="The portal",
        switch=PORTAL,
        personal=(
            # Messages to test residents, kept instead of sent: read by staff who may make test residents.
            PersonalModel("core.TestOutboxMessage", Owner.STAFF, "to"),
        ),
        audit_kinds=(ADMIN,),
        pages={
            "brand_css": "The portal's colours (style sheet)",
            "accessibility": "Accessibility statement",
            "privacy_notice": "How we use your information (privacy notice)",
        },
    )
)
