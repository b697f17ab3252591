"""The one way in to housing objects. Not visible: 404. Visible but not allowed: 403."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from porch.core.actions import Action
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.housing.models import DetailsChangeRequest, Membership, Person, Tenancy, TestHousehold

# Lead tenant, then joint tenants and homeowners, then the rest of the household.
LEAD_FIRST = Case(
    When(role=Membership.Role.LEAD_TENANT, then=0),
    When(role__in=[Membership.Role.JOINT_TENANT, Membership.Role.HOMEOWNER], then=1),
    default=2,
)


def get_tenancy_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> Tenancy:
    """A tenancy the actor may see, with its property and patch loaded (404 otherwise).
    Adding documents to it (Action.UPLOAD) is for staff who can see it: a resident, or
    staff viewing as one, gets 403."""
    tenancy = (
        Tenancy.objects.visible_to(actor).select_related("property__block__estate__patch").filter(uuid=code).first()
    )
    if tenancy is None:
        raise Http404
    if action == Action.UPLOAD and not actor.is_staff:
        raise PermissionDenied
    return tenancy


def get_person_for(actor: Actor, code: UUID | str) -> Person:
    person = Person.objects.visible_to(actor).filter(uuid=code).first()
    if person is None:
        raise Http404
    return person


def current_tenancies_of(actor: Actor) -> list[Tenancy]:
    """The tenancies a resident holds now, oldest first, with their property."""
    return list(Tenancy.objects.visible_to(actor).select_related("property").order_by("start_date", "id"))


def household_of(actor: Actor, tenancy: Tenancy) -> list[Membership]:
    """The current members of a tenancy the actor can see."""
    get_tenancy_for(actor, tenancy.uuid)
    return list(
        Membership.objects.current()
        .filter(tenancy=tenancy)
        .select_related("person")
        .order_by(LEAD_FIRST, "person__last_name", "person__first_name")
    )


def households_of(actor: Actor) -> list[tuple[Tenancy, list[Membership]]]:
    """A resident's current tenancies (oldest first, with their property), each with its current
    members, lead tenant first: one query for the whole of the resident's home page."""
    members = (
        Membership.objects.current()
        .filter(tenancy__in=Tenancy.objects.visible_to(actor))
        .select_related("person", "tenancy__property")
        .order_by("tenancy__start_date", "tenancy_id", LEAD_FIRST, "person__last_name", "person__first_name")
    )
    households: dict[int, tuple[Tenancy, list[Membership]]] = {}
    for member in members:
        households.setdefault(member.tenancy_id, (member.tenancy, []))[1].append(member)
    return list(households.values())


def own_person(actor: Actor) -> Person:
    """The resident's own record."""
    if not actor.person_id:
        raise Http404
    return Person.objects.get(id=actor.person_id)


def search_tenancies(actor: Actor, term: str, *, limit: int = 50) -> list[Tenancy]:
    """Staff search by reference, postcode, surname or first address line, within what they may see."""
    compact = term.replace(" ", "").upper()
    return list(
        Tenancy.objects.visible_to(actor)
        .filter(is_test=False)  # test households never appear in searches
        .filter(
            Q(reference=compact)
            | Q(property__postcode_normalised=compact)
            | Q(memberships__person__last_name__iexact=term)
            | _full_name(term)
            | Q(property__address_line_1__icontains=term)
        )
        .select_related("property")
        .distinct()
        .order_by("reference")[:limit]
    )


def _full_name(term: str) -> Q:
    """'Alice Ashton' finds a member with that first and last name."""
    first, _, last = term.strip().partition(" ")
    if not last:
        return Q(pk__in=[])
    return Q(memberships__person__first_name__iexact=first, memberships__person__last_name__iexact=last.strip())


def member_ids_by_tenancy(tenancies: list[Tenancy]) -> dict[int, set[int | None]]:
    """Everyone who has been a member of each tenancy (the subjects of a staff look)."""
    members: dict[int, set[int | None]] = {}
    for tenancy_id, person_id in Membership.objects.filter(tenancy__in=tenancies).values_list(
        "tenancy_id", "person_id"
    ):
        members.setdefault(tenancy_id, set()).add(person_id)
    return members


def test_households_for(actor: Actor) -> list[TestHousehold]:
    """Test households, for staff allowed to create and use them. Never the canaries: nobody
    uses those, and knowing which homes are tripwires would let an insider step round them."""
    if not actor.has_role(StaffRole.TEST_RESIDENTS):
        return []
    return list(
        TestHousehold.objects.exclude(purpose=TestHousehold.Purpose.CANARY)
        .select_related("tenancy", "created_by")
        .order_by("-created_at")[:100]
    )


# Who decides details change requests; the DPO sees them too (oversight) but does not decide.
CHANGE_REQUEST_DECIDERS = frozenset({StaffRole.CUSTOMER_SERVICES, StaffRole.HOUSING_OFFICER})


def get_change_request_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> DetailsChangeRequest:
    """A details change request the actor may see: a resident's own, or staff's filed under a
    tenancy they can see (DetailsChangeRequest.visible_to). Deciding it (Action.DECIDE) is for
    customer services and housing officers only: anyone else who can see it gets 403."""
    change = (
        DetailsChangeRequest.objects.visible_to(actor).select_related("person", "decided_by").filter(uuid=code).first()
    )
    if change is None:
        raise Http404
    if action == Action.DECIDE and not actor.has_role(*CHANGE_REQUEST_DECIDERS):
        raise PermissionDenied
    return change


def change_requests_waiting(actor: Actor) -> QuerySet[DetailsChangeRequest]:
    """Open requests about people the actor may see, the reply due soonest first, each with
    its person. Canary households are tripwires: no staff list shows them."""
    return (
        DetailsChangeRequest.objects.visible_to(actor)
        .waiting()
        .exclude(tenancy__test_household__purpose=TestHousehold.Purpose.CANARY)
        .select_related("person")
    )


def tenancy_for_change_request(actor: Actor) -> Tenancy | None:
    """The tenancy a resident's request to correct their details is filed under: the first
    current one they hold, or for a former tenant (the right to have personal data corrected
    outlasts the tenancy) the one they held most recently. It is filed, never shown to them."""
    current = current_tenancies_of(actor)
    if current:
        return current[0]
    if not actor.is_resident or not actor.person_id:
        return None
    today = timezone.localdate()
    latest = (
        Membership.objects.account_holders()
        .filter(person_id=actor.person_id, start_date__lte=today, tenancy__start_date__lte=today)
        .select_related("tenancy")
        .order_by(
            F("end_date").desc(nulls_first=True), F("tenancy__end_date").desc(nulls_first=True), "-start_date", "-id"
        )
        .first()
    )
    return latest.tenancy if latest is not None else None
