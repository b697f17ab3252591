"""The one way in to housing objects. Not visible: 404. Visible but not allowed: 403."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Case, F, Lookup, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from porch.core import rls
from porch.core.actions import Action
from porch.core.actor import Actor
from porch.core.roles import PATCH_SCOPED, StaffRole
from porch.housing.models import (
    AddressKey,
    Block,
    DetailsChangeRequest,
    Estate,
    Membership,
    Person,
    Property,
    Tenancy,
    TestHousehold,
    normalise_address,
    normalise_name,
    normalise_postcode,
    normalise_reference,
)

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


def search_tenancies(actor: Actor, term: str) -> QuerySet[Tenancy]:
    """Staff search by tenancy reference, postcode, surname, full name or words of the first
    address line, within what the actor may see, by reference, for paging.

    The tenancies matching the term are found first, each kind of match by an index
    (tenancies_matching); only those are then checked against what the actor may see
    (visible_to: patches, break glass, training), so the time follows the matches, not
    the size of the patch. Test households never appear.

    Up to MATCHED_BY_ID matches are fetched and handed to visible_to as a list of ids:
    the database then knows how few there are and looks each up, where with the
    matches as a subquery it guesses hundreds (a surname is shared by hundreds of
    people on average) and walks the officer's patch instead. More matches than that
    stay a subquery: the cost follows the matches either way."""
    matching = tenancies_matching(term)
    ids = [row["id"] for row in matching[: MATCHED_BY_ID + 1]]
    return (
        Tenancy.objects.visible_to(actor)
        .filter(is_test=False)  # test households never appear in searches
        .filter(id__in=ids if len(ids) <= MATCHED_BY_ID else matching)
        .select_related("property")
        .order_by("reference")
    )


# Matches handed to visible_to as a list of ids rather than a subquery (search_tenancies).
MATCHED_BY_ID = 500


def tenancies_matching(term: str) -> QuerySet[Any, Any]:
    """The ids of every tenancy (test or not, visible or not) the term matches: its
    reference; its home's postcode; the start of the surname ("Ashw") or, for two words
    or more, of the full name ("Alice Ash") of anyone who has ever been a member, in any
    case and spacing; or whole words of its home's first address line, the last word
    perhaps cut short ("Ashdown Ho" finds "Flat 1, Ashdown House"). Each is an indexed
    look-up (docs/adr/0014-indexed-staff-search.md)."""
    name = normalise_name(term)
    address = normalise_address(term)
    by_reference = Tenancy.objects.filter(reference=normalise_reference(term)).values("id")
    by_postcode = Tenancy.objects.filter(
        property_id__in=Property.objects.filter(postcode_normalised=normalise_postcode(term)).values("id")
    ).values("id")
    names = Q(StartsWith(F("last_name_normalised"), name))
    if " " in name:  # one word is a surname, never a first name alone
        names |= Q(StartsWith(F("full_name_normalised"), name))
    by_name: QuerySet[Any, Any] = Membership.objects.filter(
        person_id__in=Person.objects.filter(names).values("id")
    ).values("tenancy_id")
    by_address = Tenancy.objects.filter(
        property_id__in=AddressKey.objects.filter(StartsWith(F("key"), address)).values("property_id")
    ).values("id")
    if not address or not name:  # nothing but punctuation (the form refuses it): everything starts with ""
        by_address = by_name = Tenancy.objects.none().values("id")
    return by_reference.union(by_postcode, by_name, by_address)


class StartsWith(Lookup[str]):
    """The column starts with the text, written so each database answers it from the
    column's index (AddressKey's and Person's search columns). PostgreSQL: LIKE 'text%'
    (wildcards in the text escaped), served by the index's pattern operator class
    whatever the database's collation. SQLite and others: the range text <= column <
    the text with its last character moved on by one, served by a plain (binary-ordered)
    index; SQLite's LIKE ignores case, so it could not use that index."""

    lookup_name = "search_startswith"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        column, column_params = self.process_lhs(compiler, connection)
        text = str(self.rhs)
        upper = text[:-1] + chr(ord(text[-1]) + 1) if text else "\U0010ffff"
        return f"({column} >= %s AND {column} < %s)", (*column_params, text, upper)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        column, column_params = self.process_lhs(compiler, connection)
        pattern = connection.ops.prep_for_like_query(str(self.rhs)) + "%"
        return f"{column} LIKE %s", (*column_params, pattern)


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


def patch_households(actor: Actor) -> dict[str, QuerySet[Any]]:
    """What trained staff without an organisation-wide role may read behind the database wall
    (porch.core.rls.Households), as queries of ids: for housing officers the places of their
    patches, and the homes, tenancies and people (past and present members) of the patch
    rule's tenancies (`patch_rule`: their patches' and those opened by break glass); for staff
    who rehearse with them, the test households (never a canary); for anyone else (a system
    administrator) none. Wider than each module's rule, never narrower.

    Each set is a UNION of one query per way in, never one query with OR: each part follows its
    own index (at 150,000 homes a patch's homes took 68 ms with OR and 5 ms this way)."""
    patches = actor.patch_ids if actor.roles & PATCH_SCOPED else frozenset()
    ways_in = [Tenancy.objects.filter(property__block__estate__patch_id__in=patches)]
    if actor.roles & PATCH_SCOPED:
        ways_in.append(Tenancy.objects.filter(id__in=actor.break_glass_tenancy_ids))
    if actor.has_role(StaffRole.TEST_RESIDENTS):
        rehearsed = TestHousehold.objects.exclude(purpose=TestHousehold.Purpose.CANARY).values("tenancy_id")
        ways_in.append(Tenancy.objects.filter(id__in=rehearsed))

    def union(queries: list[QuerySet[Any]]) -> QuerySet[Any]:
        return queries[0].union(*queries[1:])

    return {
        "estates": Estate.objects.filter(patch_id__in=patches).values_list("id"),
        "blocks": Block.objects.filter(estate__patch_id__in=patches).values_list("id"),
        "properties": union(
            [Property.objects.filter(block__estate__patch_id__in=patches).values_list("id")]
            + [tenancies.values_list("property_id") for tenancies in ways_in]
        ),
        "tenancies": union([tenancies.values_list("id") for tenancies in ways_in]),
        "people": union(
            [
                Membership.objects.filter(tenancy__in=tenancies.values("id")).values_list("person_id")
                for tenancies in ways_in
            ]
        ),
    }


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
    # Behind the database wall a former tenant reads no row of their old home: where to file
    # their request is found by the system (ADR 0032), and only its id is used.
    with rls.as_system(connection):
        latest = (
            Membership.objects.account_holders()
            .filter(person_id=actor.person_id, start_date__lte=today, tenancy__start_date__lte=today)
            .select_related("tenancy")
            .order_by(
                F("end_date").desc(nulls_first=True),
                F("tenancy__end_date").desc(nulls_first=True),
                "-start_date",
                "-id",
            )
            .first()
        )
    return latest.tenancy if latest is not None else None
