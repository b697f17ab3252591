"""The actor: who is asking, resolved once per request.

Every access decision takes an Actor, never a raw user. Staff powers exist only
once the staff member has passed two-factor authentication.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from porch.core.roles import StaffRole

ANONYMOUS = "anonymous"
RESIDENT = "resident"
STAFF = "staff"
CONTRACTOR = "contractor"


@dataclass(frozen=True)
class Home:
    """One home a resident is a current member of, resolved once at the start of the request.
    The resident branches of the visible_to filters read these ids, so each is one indexed
    predicate, not a nested query over memberships rebuilt for every list on the page."""

    tenancy_id: int
    holds_account: bool  # lead or joint tenant, or homeowner: sees the tenancy's record
    member_since: datetime.date
    tenancy_started: datetime.date
    property_id: int
    block_id: int
    estate_id: int
    patch_id: int


@dataclass(frozen=True)
class Actor:
    kind: str = ANONYMOUS
    user_id: int | None = None
    person_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    patch_ids: frozenset[int] = field(default_factory=frozenset)
    membership_roles: frozenset[str] = field(default_factory=frozenset)
    # Residents: their current memberships of tenancies in force (no homes: no tenancy data).
    homes: tuple[Home, ...] = ()
    # Residents: the people of those homes now, themselves included (names on their pages;
    # what the database wall lets them read of housing_person).
    household_ids: frozenset[int] = field(default_factory=frozenset)
    firm_id: int | None = None
    # Residents: whether an open pilot cohort covers their home, and the modules it opens.
    in_open_cohort: bool = False
    rollout_modules: frozenset[str] = field(default_factory=frozenset)
    cohort_ids: frozenset[int] = field(default_factory=frozenset)
    # View as resident: the staff member behind this resident actor, and their roles.
    on_behalf_of_id: int | None = None
    behind_roles: frozenset[str] = field(default_factory=frozenset)
    needs_mfa_setup: bool = False
    # Staff: data-protection training within the window; without it, no personal data.
    trained: bool = False
    # Staff: tenancies opened outside their patches with a stated reason (break glass).
    break_glass_tenancy_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def tenancy_ids(self) -> frozenset[int]:
        """The tenancies a resident holds now (account-holding memberships): their record is theirs to see."""
        return frozenset(home.tenancy_id for home in self.homes if home.holds_account)

    @property
    def is_authenticated(self) -> bool:
        return self.kind != ANONYMOUS

    @property
    def is_resident(self) -> bool:
        return self.kind == RESIDENT

    @property
    def is_staff(self) -> bool:
        return self.kind == STAFF and not self.needs_mfa_setup

    @property
    def is_contractor(self) -> bool:
        """A contractor firm's user, past two-factor authentication (as staff are)."""
        return self.kind == CONTRACTOR and not self.needs_mfa_setup

    def has_role(self, *roles: str) -> bool:
        return self.is_staff and bool(self.roles.intersection(roles))

    @property
    def reads_personal_data(self) -> bool:
        """Staff may open residents' personal data only with current training."""
        return self.is_staff and self.trained

    @property
    def role_label(self) -> str:
        """The role recorded in the audit log for this actor."""
        if self.is_staff:
            return ",".join(sorted(self.roles)) or "staff"
        if self.is_viewing_as:
            return "view_as:" + (",".join(sorted(self.behind_roles - {StaffRole.VIEW_AS})) or "staff")
        return self.kind

    @property
    def is_viewing_as(self) -> bool:
        """A staff member seeing the portal as this resident sees it (read-only)."""
        return self.on_behalf_of_id is not None

    def viewing_as_without(self, readers: frozenset[str]) -> bool:
        """Staff viewing as a resident whose own roles include none of these readers: they see
        the resident's pages, but no more of a module than their own role may read."""
        return self.is_viewing_as and not (self.behind_roles & readers)


ANONYMOUS_ACTOR = Actor()
