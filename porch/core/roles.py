"""Staff roles. Kept free of models so any app can import them."""

from django.db import models


class StaffRole(models.TextChoices):
    CUSTOMER_SERVICES = "customer_services", "Customer services"
    HOUSING_OFFICER = "housing_officer", "Housing officer"
    ASB_OFFICER = "asb_officer", "Anti-social behaviour officer"
    REPAIRS_COORDINATOR = "repairs_coordinator", "Repairs coordinator"
    INCOME_OFFICER = "income_officer", "Income officer"
    COMPLAINTS_HANDLER = "complaints_handler", "Complaints handler"
    DPO = "dpo", "Data Protection Officer"
    SYSADMIN = "sysadmin", "System administrator"
    # A permission rather than a job: may see the portal as one resident sees it.
    VIEW_AS = "view_as", "May view the portal as a resident"
    # A permission: may create test households and read the test outbox.
    TEST_RESIDENTS = "test_residents", "May create test residents"


# Roles that see residents across the whole organisation.
ORGANISATION_WIDE = frozenset(
    {
        StaffRole.CUSTOMER_SERVICES,
        StaffRole.ASB_OFFICER,
        StaffRole.REPAIRS_COORDINATOR,
        StaffRole.INCOME_OFFICER,
        StaffRole.COMPLAINTS_HANDLER,
        StaffRole.DPO,
    }
)
# Roles that see residents only in their own patches.
PATCH_SCOPED = frozenset({StaffRole.HOUSING_OFFICER})
# Roles that may see anti-social behaviour material.
ASB_READERS = frozenset({StaffRole.ASB_OFFICER, StaffRole.DPO})
# Roles that keep the portal's settings: switches, cohorts, approvals, staff roles.
GUARDIANS = frozenset({StaffRole.DPO, StaffRole.SYSADMIN})
# Roles that handle sign-up: activation letters and requests for help.
FRONT_DESK = frozenset({StaffRole.CUSTOMER_SERVICES, StaffRole.DPO})
# The plain-English description residents read on their privacy page.
# Keyed by str so the roles stored on audit rows (plain strings) can look themselves up.
PLAIN_ROLE: dict[str, str] = {
    StaffRole.CUSTOMER_SERVICES: "a member of our customer services team",
    StaffRole.HOUSING_OFFICER: "your housing officer",
    # Role-neutral on purpose: naming the ASB team could tip off a suspect or expose a witness.
    StaffRole.ASB_OFFICER: "a member of our housing team",
    StaffRole.REPAIRS_COORDINATOR: "a member of our repairs team",
    StaffRole.INCOME_OFFICER: "a member of our rent and income team",
    StaffRole.COMPLAINTS_HANDLER: "a member of our complaints team",
    StaffRole.DPO: "our Data Protection Officer",
    StaffRole.SYSADMIN: "a system administrator",
    StaffRole.VIEW_AS: "a member of our staff",
    StaffRole.TEST_RESIDENTS: "a member of our staff",
    # Not a role: changes to the housing record arriving from the landlord's housing system (porch.feed).
    "feed": "our housing records, updated from our housing management system,",
}
