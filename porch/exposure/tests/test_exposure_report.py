"""The exposure report on a seeded leak: exactly the people whose data was served
outside the access model, and exactly the people who received it."""

from __future__ import annotations

import datetime
import time
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from conftest import Cast, make_staff
from porch.accounts.actors import actor_for_user
from porch.accounts.models import User
from porch.audit.services import record
from porch.core.actor import ANONYMOUS_ACTOR, Actor
from porch.core.roles import StaffRole
from porch.exposure.reports import Window, exposure_report
from porch.housing.models import Membership
from porch.staff.models import BreakGlass


def actor(user: User) -> Actor:
    return actor_for_user(user, verified=True)


def window() -> Window:
    now = timezone.now()
    return Window(now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1))


def a_tick_later() -> None:
    """Put a moment between a read and a change to the staff member's record. SQLite's
    triggers date the staff history to the millisecond (its clock has no finer grain), so
    a change in the same millisecond as a read could fall either side of it; PostgreSQL
    dates both to the microsecond."""
    time.sleep(0.002)


def dpo(cast: Cast) -> Actor:
    return actor(cast.staff["dpo"])


def people_and_recipients(cast: Cast, **narrowing: str) -> tuple[set[str], set[tuple[str, str]]]:
    report = exposure_report(actor=dpo(cast), window=narrowing.pop("within", None) or window(), **narrowing)  # type: ignore[arg-type]
    affected = {a.person.first_name for a in report.affected}
    receipts = {(r.recipient.label.split()[0], r.subject.first_name) for r in report.receipts}
    return affected, receipts


def leak_to_carol(cast: Cast) -> None:
    """Carol (the Coles, next door) is served a household document about Alice and Bob,
    and Alice's details on their own: Amy's data never reaches her."""
    ashton = cast["ashton"]
    alice, bob = ashton.people["alice"], ashton.people["bob"]
    carol = actor(cast.resident("carol"))
    record(
        actor=carol,
        action="download",
        object_type="document",
        object_id=ashton.documents["letter"].uuid,
        subject_ids=[alice.id, bob.id],
        tenancy_id=ashton.tenancy.id,
    )
    record(actor=carol, action="view", object_type="person", object_id=alice.uuid, subject_ids=[alice.id])


def legitimate_looks(cast: Cast) -> None:
    ashton = cast["ashton"]
    alice, bob, amy = (ashton.people[name] for name in ("alice", "bob", "amy"))
    household = [alice.id, bob.id, amy.id]
    # Alice sees her own details; Bob sees the household page and Alice's details.
    record(actor=actor(cast.resident("alice")), action="view", object_type="person", subject_ids=[alice.id])
    record(
        actor=actor(cast.resident("bob")),
        action="view",
        object_type="dashboard",
        subject_ids=household,
        tenancy_id=ashton.tenancy.id,
    )
    record(actor=actor(cast.resident("bob")), action="view", object_type="person", subject_ids=[alice.id])
    # Carol sees her own household.
    carol = cast["cole"].people["carol"]
    record(
        actor=actor(cast.resident("carol")),
        action="view",
        object_type="dashboard",
        subject_ids=[carol.id],
        tenancy_id=cast["cole"].tenancy.id,
    )
    # The trained North housing officer opens the Ashtons (their patch) and searches for Alice.
    north = actor(cast.staff["north"])
    record(actor=north, action="view", object_type="tenancy", subject_ids=household, tenancy_id=ashton.tenancy.id)
    record(actor=north, action="view", object_type="audit_trail", subject_ids=[alice.id])
    # The South officer opens the Ashtons outside their patch, with a stated reason.
    BreakGlass.objects.create(
        staff=cast.staff["south"],
        tenancy=ashton.tenancy,
        reason=BreakGlass.Reason.CALL,
        details="Alice on the phone",
        expires_at=timezone.now() + datetime.timedelta(hours=4),
    )
    south = actor(cast.staff["south"])
    record(actor=south, action="view", object_type="tenancy", subject_ids=household, tenancy_id=ashton.tenancy.id)
    record(actor=south, action="view", object_type="person", subject_ids=[bob.id])
    # Customer services (organisation-wide) viewing as Alice sees what she sees.
    cs = cast.staff["cs"]
    viewing = replace(actor(cast.resident("alice")), on_behalf_of_id=cs.pk, behind_roles=frozenset({"view_as"}))
    record(actor=viewing, action="view", object_type="dashboard", subject_ids=household, tenancy_id=ashton.tenancy.id)
    record(actor=actor(cs), action="view", object_type="tenancy", subject_ids=[cast["dunn"].people["dan"].id])
    # The DPO reads Alice's trail; sign-ins carry nobody's data.
    record(actor=dpo(cast), action="view", object_type="audit_trail", subject_ids=[alice.id])
    record(actor=actor(cast.resident("carol")), action="sign_in", object_type="session")


def test_a_seeded_leak_lists_exactly_the_people_affected_and_the_recipient(cast: Cast) -> None:
    legitimate_looks(cast)
    leak_to_carol(cast)
    legitimate_looks(cast)

    affected, receipts = people_and_recipients(cast)

    assert affected == {"Alice", "Bob"}
    assert receipts == {("Carol", "Alice"), ("Carol", "Bob")}


def test_the_report_counts_events_records_and_first_and_last_sight(cast: Cast) -> None:
    leak_to_carol(cast)
    report = exposure_report(actor=dpo(cast), window=window())
    alice = next(a for a in report.affected if a.person.first_name == "Alice")
    assert (alice.events, report.events, report.records) == (2, 3, 2)
    assert alice.first_seen < alice.last_seen
    assert alice.address == cast["ashton"].tenancy.property.address_lines
    assert alice.person.email == "alice@example.org"
    assert {kind.module: (kind.events, kind.people) for kind in report.kinds} == {
        "documents": (2, 2),
        "household": (1, 1),
    }


def test_nothing_outside_the_model_gives_an_empty_report(cast: Cast) -> None:
    legitimate_looks(cast)
    report = exposure_report(actor=dpo(cast), window=window())
    assert (report.events, report.affected, report.receipts) == (0, [], [])


def test_the_window_narrows_the_report(cast: Cast) -> None:
    leak_to_carol(cast)
    after_the_leak = timezone.now()
    earlier = Window(after_the_leak - datetime.timedelta(days=2), after_the_leak - datetime.timedelta(days=1))
    later = Window(after_the_leak, after_the_leak + datetime.timedelta(hours=1))
    assert people_and_recipients(cast, within=earlier) == (set(), set())  # type: ignore[arg-type]
    assert people_and_recipients(cast, within=later) == (set(), set())  # type: ignore[arg-type]


def test_a_kind_of_data_narrows_the_report(cast: Cast) -> None:
    leak_to_carol(cast)
    assert people_and_recipients(cast, module="documents")[0] == {"Alice", "Bob"}
    assert people_and_recipients(cast, module="household")[0] == {"Alice"}
    assert people_and_recipients(cast, module="accounts") == (set(), set())


def test_a_page_narrows_the_report(cast: Cast, rf: RequestFactory) -> None:
    ashton = cast["ashton"]
    document = ashton.documents["letter"]
    request = rf.get(f"/documents/{document.uuid}/download/")
    request.resolver_match = resolve(request.path)
    record(
        actor=actor(cast.resident("carol")),
        action="download",
        object_type="document",
        subject_ids=[ashton.people["amy"].id],
        tenancy_id=ashton.tenancy.id,
        request=request,
    )
    leak_to_carol(cast)  # recorded without a page
    assert people_and_recipients(cast, route="documents:download")[0] == {"Amy"}
    assert people_and_recipients(cast, route="portal:my_details") == (set(), set())


def test_a_former_member_seeing_the_household_after_leaving_is_a_leak(cast: Cast) -> None:
    ashton = cast["ashton"]
    alice, bob = ashton.people["alice"], ashton.people["bob"]
    bob_actor = actor(cast.resident("bob"))
    Membership.objects.filter(person=bob).update(end_date=timezone.localdate())  # he left today
    record(
        actor=bob_actor, action="view", object_type="dashboard", subject_ids=[alice.id], tenancy_id=ashton.tenancy.id
    )
    record(actor=bob_actor, action="view", object_type="person", subject_ids=[alice.id])
    record(actor=bob_actor, action="view", object_type="person", subject_ids=[bob.id])  # his own: fine
    assert people_and_recipients(cast) == ({"Alice"}, {("Bob", "Alice")})


def test_a_member_who_has_not_yet_joined_is_not_household(cast: Cast) -> None:
    ashton = cast["ashton"]
    Membership.objects.filter(person=ashton.people["amy"]).update(
        start_date=timezone.localdate() + datetime.timedelta(days=1)
    )
    record(
        actor=actor(cast.resident("alice")), action="view", object_type="person", subject_ids=[ashton.people["amy"].id]
    )
    assert people_and_recipients(cast) == ({"Amy"}, {("Alice", "Amy")})


def test_a_household_document_reached_through_a_home_held_then_is_allowed_whoever_it_mentions(cast: Cast) -> None:
    """A document names the members on the day it is dated, including one who has since
    left; the model shows it to the account holders who were members then."""
    ashton = cast["ashton"]
    Membership.objects.filter(person=ashton.people["amy"]).update(
        end_date=timezone.localdate() - datetime.timedelta(days=30)
    )
    record(
        actor=actor(cast.resident("alice")),
        action="download",
        object_type="document",
        subject_ids=[ashton.people["alice"].id, ashton.people["amy"].id],
        tenancy_id=ashton.tenancy.id,
    )
    assert people_and_recipients(cast) == (set(), set())


def test_staff_outside_their_patch_without_break_glass_is_a_leak(cast: Cast) -> None:
    ashton = cast["ashton"]
    south = actor(cast.staff["south"])
    record(
        actor=south,
        action="view",
        object_type="tenancy",
        subject_ids=[ashton.people["alice"].id],
        tenancy_id=ashton.tenancy.id,
    )
    record(actor=south, action="view", object_type="person", subject_ids=[cast["dunn"].people["dan"].id])
    record(
        actor=south, action="view", object_type="person", subject_ids=[cast["smith"].people["sam"].id]
    )  # their patch
    affected, receipts = people_and_recipients(cast)
    assert affected == {"Alice", "Dan"}
    assert receipts == {("south@staff.example.org", "Alice"), ("south@staff.example.org", "Dan")}


def test_an_expired_break_glass_no_longer_covers(cast: Cast) -> None:
    ashton = cast["ashton"]
    BreakGlass.objects.create(
        staff=cast.staff["south"],
        tenancy=ashton.tenancy,
        reason=BreakGlass.Reason.CALL,
        details="x",
        expires_at=timezone.now(),
    )
    record(
        actor=actor(cast.staff["south"]),
        action="view",
        object_type="tenancy",
        subject_ids=[ashton.people["alice"].id],
        tenancy_id=ashton.tenancy.id,
    )
    assert people_and_recipients(cast)[0] == {"Alice"}


def test_staff_without_current_training_or_a_data_role_are_a_leak(cast: Cast) -> None:
    alice = cast["ashton"].people["alice"]
    cs = cast.staff["cs"]
    User.objects.filter(pk=cs.pk).update(training_completed_on=timezone.localdate() - datetime.timedelta(days=400))
    record(actor=actor(cs), action="view", object_type="person", subject_ids=[alice.id])
    record(actor=actor(cast.staff["admin"]), action="view", object_type="person", subject_ids=[alice.id])
    _, receipts = people_and_recipients(cast)
    assert receipts == {("cs@staff.example.org", "Alice"), ("admin@staff.example.org", "Alice")}


def test_training_recorded_later_does_not_cover_what_came_before(cast: Cast) -> None:
    alice = cast["ashton"].people["alice"]
    cs = cast.staff["cs"]
    User.objects.filter(pk=cs.pk).update(training_completed_on=None)
    record(actor=actor(cs), action="view", object_type="person", subject_ids=[alice.id])
    a_tick_later()
    User.objects.filter(pk=cs.pk).update(training_completed_on=timezone.localdate())
    a_tick_later()
    record(actor=actor(cs), action="view", object_type="person", subject_ids=[cast["dunn"].people["dan"].id])
    assert people_and_recipients(cast) == ({"Alice"}, {("cs@staff.example.org", "Alice")})


def test_a_role_covers_only_while_it_was_held(cast: Cast) -> None:
    alice, dan = cast["ashton"].people["alice"], cast["dunn"].people["dan"]
    cs = cast.staff["cs"]
    record(actor=actor(cs), action="view", object_type="person", subject_ids=[alice.id])
    cs_then = actor(cs)
    a_tick_later()
    cs.role_grants.all().delete()
    a_tick_later()
    record(actor=cs_then, action="view", object_type="person", subject_ids=[dan.id])  # served after losing the role
    assert people_and_recipients(cast) == ({"Dan"}, {("cs@staff.example.org", "Dan")})


def test_a_patch_covers_only_while_it_was_theirs(cast: Cast) -> None:
    ashton = cast["ashton"]
    north = cast.staff["north"]
    household = [p.id for p in ashton.people.values()]
    record(
        actor=actor(north), action="view", object_type="tenancy", subject_ids=household, tenancy_id=ashton.tenancy.id
    )
    a_tick_later()
    north.patches.clear()
    a_tick_later()
    record(actor=actor(north), action="view", object_type="person", subject_ids=[ashton.people["amy"].id])
    assert people_and_recipients(cast) == ({"Amy"}, {("north@staff.example.org", "Amy")})


def test_viewing_as_a_resident_is_allowed_only_where_the_resident_is(cast: Cast) -> None:
    cs = cast.staff["cs"]
    as_carol = replace(actor(cast.resident("carol")), on_behalf_of_id=cs.pk, behind_roles=frozenset({"view_as"}))
    record(actor=as_carol, action="view", object_type="person", subject_ids=[cast["ashton"].people["alice"].id])
    report = exposure_report(actor=dpo(cast), window=window())
    (receipt,) = report.receipts
    assert receipt.recipient.label.startswith("Carol") and receipt.on_behalf_of is not None
    assert receipt.on_behalf_of.label == "cs@staff.example.org"


def test_anyone_signed_out_or_a_contractor_receiving_data_is_a_leak(cast: Cast) -> None:
    from porch.accounts.models import ContractorFirm

    firm = ContractorFirm.objects.create(name="Fixit")
    fixer = User.objects.create_user(username="fixer", password="x", kind=User.Kind.CONTRACTOR, firm=firm)
    record(actor=ANONYMOUS_ACTOR, action="view", object_type="person", subject_ids=[cast["ashton"].people["alice"].id])
    record(actor=actor(fixer), action="view", object_type="person", subject_ids=[cast["dunn"].people["dan"].id])
    assert people_and_recipients(cast) == ({"Alice", "Dan"}, {("Someone", "Alice"), ("fixer", "Dan")})


def test_only_the_dpo_may_run_the_report(cast: Cast) -> None:
    for name in ("cs", "north", "admin"):
        with pytest.raises(PermissionDenied):
            exposure_report(actor=actor(cast.staff[name]), window=window())
    with pytest.raises(PermissionDenied):
        exposure_report(actor=actor(cast.resident("alice")), window=window())


def test_a_household_document_dated_before_a_member_joined_is_a_leak_to_them(cast: Cast) -> None:
    """Jo joined the Ashtons last month. The statement from before, about Alice and Bob,
    served to Jo is outside the model; the letter after Jo joined, about all three, is not."""
    from porch.housing.models import Person

    ashton = cast["ashton"]
    alice, bob = ashton.people["alice"], ashton.people["bob"]
    jo = Person.objects.create(housing_reference="P90003", first_name="Jo", last_name="Joiner")
    Membership.objects.create(
        tenancy=ashton.tenancy,
        person=jo,
        role="joint_tenant",
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    joiner = actor(User.objects.create_user(username="jo@example.org", kind="resident", person=jo))
    seen = {"object_type": "document", "action": "download", "tenancy_id": ashton.tenancy.id}
    record(actor=joiner, object_id="before", subject_ids=[alice.id, bob.id], **seen)  # type: ignore[arg-type]
    record(actor=joiner, object_id="after", subject_ids=[alice.id, bob.id, jo.id], **seen)  # type: ignore[arg-type]
    record(actor=actor(cast.resident("alice")), object_id="before", subject_ids=[alice.id, bob.id], **seen)  # type: ignore[arg-type]

    affected, receipts = people_and_recipients(cast)

    assert affected == {"Alice", "Bob"}
    assert receipts == {("Jo", "Alice"), ("Jo", "Bob")}


def test_an_internal_document_served_to_a_resident_is_a_leak_even_in_their_own_home(cast: Cast) -> None:
    ashton = cast["ashton"]
    alice = ashton.people["alice"]
    record(
        actor=actor(cast.resident("alice")),
        action="download",
        object_type="internal_document",
        object_id=ashton.documents["note"].uuid,
        subject_ids=[alice.id, ashton.people["bob"].id],
        tenancy_id=ashton.tenancy.id,
    )
    affected, _ = people_and_recipients(cast)
    assert affected == {"Bob"}  # Alice is the subject herself: rule 1 still lets her see herself


def test_a_money_record_read_by_staff_whose_role_does_not_read_accounts_is_a_leak(cast: Cast) -> None:
    """Money kinds name their readers (porch.money.kinds): the housing officer of the patch may
    see the household, but not its rent account; customer services may see a card payment."""
    ashton = cast["ashton"]
    income = actor(make_staff("income@staff.example.org", [StaffRole.INCOME_OFFICER], []))

    def read(who: Actor, kind: str) -> None:
        subjects = [ashton.people["alice"].id]
        record(actor=who, action="view", object_type=kind, subject_ids=subjects, tenancy_id=ashton.tenancy.id)

    read(income, "rent_account")
    read(actor(cast.staff["cs"]), "card_payment")
    assert people_and_recipients(cast) == (set(), set())
    read(actor(cast.staff["north"]), "rent_account")  # their patch, but not their role
    read(actor(cast.staff["cs"]), "direct_debit")  # customer services read no Direct Debit
    affected, receipts = people_and_recipients(cast)
    assert affected == {"Alice"}
    assert receipts == {("north@staff.example.org", "Alice"), ("cs@staff.example.org", "Alice")}
