"""The exposure report's rule for old events (porch/exposure/rules.py) and the access model
(`visible_to`) are written separately: on the same generated worlds they must agree, so the
two cannot drift. For each object, an event is recorded as if it had been served to the actor:
if the model shows it to them now, the report finds nothing; if it does not, the report names
everyone the object is about (but the actor themselves: their own data reaching them is no leak).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from porch.accounts.actors import actor_for_user
from porch.audit.models import AccessEvent
from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.documents.models import Document, DocumentType, document_subjects
from porch.exposure.rules import served_outside_model
from porch.housing.models import Membership, Person, Tenancy
from tests.test_access_properties import build_world, day, make_staff, offsets, roles, type_names

staff_roles = st.sampled_from([role.value for role in StaffRole])


def served(actor: Actor, object_type: str, object_id: object, subjects: list[int], tenancy_id: int | None) -> set[int]:
    """Record the object as served to the actor; the subjects the exposure report says it should not have reached."""
    before = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    record(
        actor=actor,
        action="view",
        object_type=object_type,
        object_id=object_id,
        subject_ids=subjects,
        tenancy_id=tenancy_id,
    )
    events = AccessEvent.objects.filter(id__gt=before)
    return set(served_outside_model(events).values_list("subject_id", flat=True))


def documents_of_every_kind(tenancy: Tenancy, others: dict[str, Person], dated_offset: int) -> list[Document]:
    made = []
    for name in DocumentType.objects.values_list("name", flat=True):
        for addressee in (None, *others.values()):
            made.append(
                Document.objects.create(
                    tenancy=tenancy,
                    addressee=addressee,
                    type=DocumentType.objects.get(name=name),
                    title="d",
                    dated=day(dated_offset),
                    file="x.pdf",
                    content_type="application/pdf",
                    size=1,
                )
            )
    return made


def check_agreement(case: TestCase, actor: Actor, person_id: int | None, tenancy: Tenancy, people: list[Person]):
    visible_tenancy = Tenancy.objects.visible_to(actor).filter(pk=tenancy.pk).exists()
    members = sorted(Membership.objects.filter(tenancy=tenancy).values_list("person_id", flat=True))
    outside = served(actor, "tenancy", tenancy.uuid, members, tenancy.id)
    expected = set() if visible_tenancy else set(members) - {person_id}
    case.assertEqual(outside, expected, "tenancy")
    for person in people:
        visible = Person.objects.visible_to(actor).filter(pk=person.pk).exists()
        outside = served(actor, "person", person.uuid, [person.pk], None)
        case.assertEqual(outside, set() if visible or person.pk == person_id else {person.pk}, "person")
    documents = list(Document.objects.filter(tenancy=tenancy).select_related("type", "tenancy"))
    subjects = document_subjects(documents)
    for document in documents:
        visible = Document.objects.visible_to(actor).filter(pk=document.pk).exists()
        outside = served(actor, document.audit_type, document.uuid, subjects[document.pk], document.tenancy_id)
        expected = set() if visible else set(subjects[document.pk]) - {person_id}
        case.assertEqual(outside, expected, f"{document.type.name} to {document.addressee_id}")


class ResidentsAgree(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(
        membership_end=offsets,
        tenancy_end=offsets,
        role=roles,
        joined_after=st.sampled_from([0, 400, 790]),
        dated_offset=st.integers(min_value=-900, max_value=0),
        visible=st.sets(type_names, max_size=2),
    )
    def test_the_exposure_rule_agrees_with_what_residents_may_see(
        self, membership_end, tenancy_end, role, joined_after, dated_offset, visible
    ) -> None:
        _, tenancy, resident, other, user = build_world(membership_end, tenancy_end, role, True, joined_after)
        DocumentType.objects.filter(name__in=visible, category__in=["letter", "agreement", "statement"]).update(
            resident_visible=True
        )
        documents_of_every_kind(tenancy, {"me": resident, "other": other}, dated_offset)
        check_agreement(self, actor_for_user(user, verified=False), resident.pk, tenancy, [resident, other])


class StaffAgree(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(
        granted=st.sets(staff_roles, max_size=3),
        in_north=st.booleans(),
        has_north=st.booleans(),
        trained=st.booleans(),
        broke_glass=st.sampled_from(["never", "open", "expired"]),
        dated_offset=st.integers(min_value=-900, max_value=0),
    )
    def test_the_exposure_rule_agrees_with_what_staff_may_see(
        self, granted, in_north, has_north, trained, broke_glass, dated_offset
    ) -> None:
        north, tenancy, resident, other, _ = build_world(None, None, Membership.Role.LEAD_TENANT, in_north)
        patch = north if has_north else None
        staff = make_staff(granted, trained, patch=patch, tenancy=tenancy, broke_glass=broke_glass)
        documents_of_every_kind(tenancy, {"me": resident}, dated_offset)
        check_agreement(self, actor_for_user(staff, verified=True), None, tenancy, [resident, other])
