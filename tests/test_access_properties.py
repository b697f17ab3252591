"""Property tests: for every protected model, the single-object check and the
list filter agree with each other and with the rule written in plain Python,
across generated actors and relationship states."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from porch.accounts.actors import actor_for_user
from porch.accounts.models import User
from porch.core.roles import ASB_READERS, ORGANISATION_WIDE, StaffRole
from porch.documents.access import get_document_for
from porch.documents.models import Document, DocumentType
from porch.housing.access import get_person_for, get_tenancy_for
from porch.housing.models import Block, Estate, Membership, Patch, Person, Property, Tenancy
from porch.staff.models import BreakGlass

TODAY = datetime.date.today()
offsets = st.one_of(st.none(), st.integers(min_value=-400, max_value=400))
roles = st.sampled_from(list(Membership.Role))
type_names = st.sampled_from(["Letter", "Tenancy agreement", "Internal note", "ASB case file", "Witness statement"])
staff_roles = st.sampled_from([role.value for role in StaffRole])


def day(offset: int | None) -> datetime.date | None:
    return None if offset is None else TODAY + datetime.timedelta(days=offset)


def build_world(membership_end: int | None, tenancy_end: int | None, role: str, in_north: bool, joined_after: int = 0):
    north, south = Patch.objects.create(name="N"), Patch.objects.create(name="S")
    patch = north if in_north else south
    block = Block.objects.create(name="B", estate=Estate.objects.create(name="E", patch=patch))
    home = Property.objects.create(block=block, address_line_1="1 Road", town="Town", postcode="AB1 2CD")
    start = TODAY - datetime.timedelta(days=800)
    end = day(tenancy_end)
    tenancy = Tenancy.objects.create(
        reference="T1",
        property=home,
        kind="social_rent",
        start_date=start,
        end_date=end if end is None or end >= start else start,
    )
    resident = Person.objects.create(housing_reference="P1", first_name="R", last_name="R")
    other = Person.objects.create(housing_reference="P2", first_name="O", last_name="O")
    m_end = day(membership_end)
    joined = start + datetime.timedelta(days=joined_after)
    Membership.objects.create(
        tenancy=tenancy,
        person=resident,
        role=role,
        start_date=joined,
        end_date=m_end if m_end is None or m_end >= joined else joined,
    )
    Membership.objects.create(tenancy=tenancy, person=other, role=Membership.Role.JOINT_TENANT, start_date=start)
    user = User.objects.create_user(username="r", kind=User.Kind.RESIDENT, person=resident)
    return north, tenancy, resident, other, user


def make_staff(granted, trained: bool, *, patch=None, tenancy=None, broke_glass: str = "never") -> User:
    """A staff member with these roles, training in or out of date, perhaps a patch, and a
    break-glass opening of the tenancy that is open, expired or never made."""
    training = TODAY - datetime.timedelta(days=30 if trained else 400)
    staff = User.objects.create_user(username="s", kind=User.Kind.STAFF, training_completed_on=training)
    for role in granted:
        staff.role_grants.create(role=role)
    if patch is not None:
        staff.patches.add(patch)
    if broke_glass != "never":
        BreakGlass.objects.create(
            staff=staff,
            tenancy=tenancy,
            reason="call",
            details="d",
            expires_at=timezone.now() + datetime.timedelta(hours=1 if broke_glass == "open" else -1),
        )
    return staff


def resident_may_see_document(sees_tenancy: bool, visible_type: bool, audience: str, dated, joined, began) -> bool:
    """Addressed to them: always. To the whole tenancy: only if dated on or after they joined,
    a date before the tenancy began counting as its first day."""
    if not (sees_tenancy and visible_type):
        return False
    return audience == "me" or (audience == "all" and max(dated, began) >= joined)


def in_force(start: datetime.date, end: datetime.date | None) -> bool:
    return start <= TODAY and (end is None or end > TODAY)


def resident_may_see_tenancy(tenancy: Tenancy, membership: Membership) -> bool:
    return (
        membership.role in Membership.ACCOUNT_ROLES
        and in_force(membership.start_date, membership.end_date)
        and in_force(tenancy.start_date, tenancy.end_date)
    )


def world_document(
    tenancy: Tenancy, type_name: str, addressee: Person | None = None, dated: datetime.date | None = None
) -> Document:
    when = {"dated": dated} if dated else {}  # none given: the field's default, today
    return Document.objects.create(
        tenancy=tenancy,
        addressee=addressee,
        type=DocumentType.objects.get(name=type_name),
        title="d",
        **when,
        file="x.pdf",
        content_type="application/pdf",
        size=1,
    )


# The staff worlds: roles, a home in North or South, a patch or none, a document of a type,
# training in or out of date, and a break-glass opening open, expired or never made.
STAFF_WORLDS = {
    "granted": st.sets(staff_roles, max_size=3),
    "in_north": st.booleans(),
    "has_north": st.booleans(),
    "type_name": type_names,
    "trained": st.booleans(),
    "broke_glass": st.sampled_from(["never", "open", "expired"]),
}


class ResidentAccessAgrees(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(
        membership_end=offsets,
        tenancy_end=offsets,
        role=roles,
        joined_after=st.sampled_from([0, 400, 790]),
        documents=st.lists(
            st.tuples(
                type_names,
                st.booleans(),
                st.sampled_from(["all", "me", "other"]),
                st.integers(min_value=-900, max_value=0),
            ),
            max_size=4,
        ),
    )
    def test_resident_checks_agree(self, membership_end, tenancy_end, role, joined_after, documents) -> None:
        _, tenancy, resident, other, user = build_world(membership_end, tenancy_end, role, True, joined_after)
        membership = Membership.objects.get(person=resident)
        actor = actor_for_user(user, verified=False)
        sees_tenancy = resident_may_see_tenancy(tenancy, membership)
        self.assertEqual(self._found(get_tenancy_for, actor, tenancy), sees_tenancy)
        self.assertEqual(Tenancy.objects.visible_to(actor).filter(pk=tenancy.pk).exists(), sees_tenancy)
        self.assertEqual(self._found(get_person_for, actor, other), sees_tenancy)
        for name, visible, audience, dated_offset in documents:
            doc_type = DocumentType.objects.get(name=name)
            doc_type.resident_visible = visible and doc_type.may_be_resident_visible  # "retyped"
            doc_type.save()
            addressee = {"all": None, "me": resident, "other": other}[audience]
            document = world_document(tenancy, name, addressee, day(dated_offset))
            expected = resident_may_see_document(
                sees_tenancy,
                doc_type.resident_visible,
                audience,
                day(dated_offset),
                membership.start_date,
                tenancy.start_date,
            )
            self.assertEqual(self._found(get_document_for, actor, document), expected)
            self.assertEqual(Document.objects.visible_to(actor).filter(pk=document.pk).exists(), expected)

    @staticmethod
    def _found(getter, actor, obj) -> bool:
        try:
            getter(actor, obj.uuid)
        except Http404:
            return False
        return True


class StaffAccessAgrees(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(**STAFF_WORLDS)
    def test_staff_checks_agree(self, granted, in_north, has_north, type_name, trained, broke_glass) -> None:
        north, tenancy, resident, _other, _ = build_world(None, None, Membership.Role.LEAD_TENANT, in_north)
        patch = north if has_north else None
        staff = make_staff(granted, trained, patch=patch, tenancy=tenancy, broke_glass=broke_glass)
        actor = actor_for_user(staff, verified=True)
        document = world_document(tenancy, type_name)
        in_patch = has_north and in_north
        patch_officer = StaffRole.HOUSING_OFFICER in granted and (in_patch or broke_glass == "open")
        sees_tenancy = trained and (bool(granted & ORGANISATION_WIDE) or patch_officer)
        sees_document = sees_tenancy and (document.type.category not in DocumentType.ASB or bool(granted & ASB_READERS))
        self.assertEqual(ResidentAccessAgrees._found(get_tenancy_for, actor, tenancy), sees_tenancy)
        self.assertEqual(Tenancy.objects.visible_to(actor).filter(pk=tenancy.pk).exists(), sees_tenancy)
        self.assertEqual(ResidentAccessAgrees._found(get_person_for, actor, resident), sees_tenancy)
        self.assertEqual(ResidentAccessAgrees._found(get_document_for, actor, document), sees_document)
        self.assertEqual(Document.objects.visible_to(actor).filter(pk=document.pk).exists(), sees_document)
        unverified = actor_for_user(staff, verified=False)
        self.assertFalse(ResidentAccessAgrees._found(get_tenancy_for, unverified, tenancy))


class ActionsAgree(TestCase):
    """Where an access helper takes an action, the action changes the answer exactly as the
    rule says: seeing is not enough to upload, decide or change."""

    @settings(max_examples=40, deadline=None)
    @given(granted=st.sets(staff_roles, max_size=3), trained=st.booleans(), as_resident=st.booleans())
    def test_actions_agree_with_the_rule(self, granted, trained, as_resident) -> None:
        from django.core.exceptions import PermissionDenied

        from porch.core.actions import Action
        from porch.documents.access import get_document_type_for
        from porch.housing.access import CHANGE_REQUEST_DECIDERS, get_change_request_for
        from porch.housing.models import DetailsChangeRequest

        _, tenancy, resident, _, user = build_world(None, None, Membership.Role.LEAD_TENANT, True)
        staff = make_staff(granted, trained)
        actor = actor_for_user(user, verified=False) if as_resident else actor_for_user(staff, verified=True)
        change = DetailsChangeRequest.objects.create(
            person=resident, tenancy=tenancy, field="mobile", new_value="07700 900000", due_on=TODAY
        )
        letter = DocumentType.objects.get(name="Letter")

        def outcome(getter, obj, action) -> str:
            try:
                getter(actor, obj.uuid, action=action)
            except Http404:
                return "404"
            except PermissionDenied:
                return "403"
            return "ok"

        sees = Tenancy.objects.visible_to(actor).filter(pk=tenancy.pk).exists()
        hidden = "ok" if sees else "404"
        self.assertEqual(outcome(get_tenancy_for, tenancy, Action.VIEW), hidden)
        self.assertEqual(
            outcome(get_tenancy_for, tenancy, Action.UPLOAD), hidden if not sees or actor.is_staff else "403"
        )
        self.assertEqual(outcome(get_change_request_for, change, Action.VIEW), hidden)
        decides = bool(actor.is_staff and set(granted) & CHANGE_REQUEST_DECIDERS)
        self.assertEqual(
            outcome(get_change_request_for, change, Action.DECIDE), hidden if not sees or decides else "403"
        )
        type_seen = "ok" if actor.is_staff else "404"
        self.assertEqual(outcome(get_document_type_for, letter, Action.VIEW), type_seen)
        changes = actor.is_staff and StaffRole.SYSADMIN in granted
        self.assertEqual(
            outcome(get_document_type_for, letter, Action.CHANGE), type_seen if not actor.is_staff or changes else "403"
        )
