"""The one way in to housing objects. Not visible: 404. Visible but not allowed: 403."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Case, Q, When
from django.http import Http404

from porch.core.actor import Actor
from porch.housing.models import Membership, Person, Tenancy, TestHousehold

# Lead tenant, then joint tenants and homeowners, then the rest of the household.
LEAD_FIRST = Case(
    When(role=Membership.Role.LEAD_TENANT, then=0),
    When(role__in=[Membership.Role.JOINT_TENANT, Membership.Role.HOMEOWNER], then=1),
    default=2,
)


def get_tenancy_for(actor: Actor, code: UUID | str, *, action: str = "view") -> Tenancy:
    """A tenancy the actor may see, with its property and patch loaded."""
    tenancy = (
        Tenancy.objects.visible_to(actor).select_related("property__block__estate__patch").filter(uuid=code).first()
    )
    if tenancy is None:
        raise Http404
    return tenancy


def get_person_for(actor: Actor, code: UUID | str, *, action: str = "view") -> Person:
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


def members_of_current_tenancies(actor: Actor) -> list[tuple[Tenancy, set[int | None]]]:
    """A resident's current tenancies, each with the ids of its current members."""
    tenancies = list(Tenancy.objects.visible_to(actor))
    current = Membership.objects.current().filter(tenancy__in=tenancies).values_list("tenancy_id", "person_id")
    members: dict[int, set[int | None]] = {}
    for tenancy_id, person_id in current:
        members.setdefault(tenancy_id, set()).add(person_id)
    return [(tenancy, members.get(tenancy.id, {actor.person_id})) for tenancy in tenancies]


def test_households_for(actor: Actor) -> list[TestHousehold]:
    """Test households, for staff allowed to create and use them. Never the canaries: nobody
    uses those, and knowing which homes are tripwires would let an insider step round them."""
    if not actor.has_role("test_residents"):
        return []
    return list(
        TestHousehold.objects.exclude(purpose=TestHousehold.Purpose.CANARY)
        .select_related("tenancy", "created_by")
        .order_by("-created_at")[:100]
    )
