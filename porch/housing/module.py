"""The housing record: homes, tenancies, the people in them, and requests to change details."""

from porch.core.modules import AuditKind, Category, Module, Owner, PersonalModel, Reached, register
from porch.housing.synthetic import household_codes

HOUSEHOLD = Category(
    "household",
    "Homes and household details",
    "names, addresses, dates of birth and contact details of tenants and their household members",
)
DASHBOARD = AuditKind(
    "dashboard", "a resident's home page", "household", words="the home page with your household's details"
)
PERSON = AuditKind("person", "a person's details", "household", words="your details", reached=Reached.ALONE)
TENANCY = AuditKind("tenancy", "a tenancy record", "household", words="your tenancy record")
# Filed under a home (perhaps one they have since left) but about the person alone: always theirs to see.
DETAILS_CHANGE_REQUEST = AuditKind(
    "details_change_request",
    "a request to change personal details",
    "household",
    words="a request to change your details",
    reached=Reached.THEIRS_ALONE,
)
TEST_HOUSEHOLD = AuditKind("test_household", "a test household", "household")

register(
    Module(
        app="housing",
        name="Homes and households",
        personal=(
            PersonalModel("housing.Person", Owner.PERSON, "id"),
            PersonalModel("housing.Tenancy", Owner.TENANCY, "id"),
            # A resident's own memberships are read to find their homes.
            PersonalModel("housing.Membership", Owner.TENANCY, "tenancy", reached_by=("person",)),
            PersonalModel("housing.Property", Owner.PLACE, "id"),
            # Staff search's copy of each home's first address line (docs/adr/0014).
            PersonalModel("housing.AddressKey", Owner.PLACE, "property"),
            PersonalModel("housing.DetailsChangeRequest", Owner.PERSON, "person"),
            PersonalModel("housing.TestHousehold", Owner.TENANCY, "tenancy"),
        ),
        categories=(HOUSEHOLD,),
        audit_kinds=(DASHBOARD, PERSON, TENANCY, DETAILS_CHANGE_REQUEST, TEST_HOUSEHOLD),
        probe_ids=household_codes,
        pages={
            "changes:queue": "Staff: Details change requests",
            "changes:detail": "Staff: A details change request",
            "changes:approve": "Staff: Approve a details change request",
            "changes:decline": "Staff: Decline a details change request",
        },
    )
)
