"""The database wall and the application's rule, checked against each other on the property
tests' generated worlds (ADR 0032): whoever asks, the wall shows every row `visible_to` shows
(never narrower) and nothing beyond the rule written here in plain Python (a household's rows,
a patch's, every row for an organisation-wide role). PostgreSQL only."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from hypothesis import given, settings
from hypothesis.extra.django import TestCase

from porch.accounts.actors import actor_for_user, principal_for
from porch.asb.access import may_read_evidence
from porch.asb.models import AsbCase, AsbEvidence
from porch.complaints import clocks as complaint_clocks
from porch.complaints.models import Complaint
from porch.core import rls
from porch.core.actor import Actor
from porch.core.roles import ORGANISATION_WIDE, StaffRole
from porch.documents.models import Document
from porch.housing.models import Membership, Person, Tenancy
from porch.messages.models import Thread
from porch.messages.teams import Team
from porch.money.models import Frequency, Payment, RentAccount
from porch.repairs import clocks as repair_clocks
from porch.repairs.models import Repair
from tests.test_access_properties import (
    STAFF_WORLDS,
    build_world,
    in_force,
    make_staff,
    offsets,
    resident_may_see_tenancy,
    roles,
    type_names,
    world_document,
)
from tests.test_database_wall import reading_as

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-level security is PostgreSQL's: on SQLite the application's rule is the only one",
)

ROLE = "porch_wall_" + hashlib.sha256(b"properties").hexdigest()[:12]


@contextmanager
def behind_the_wall(actor: Actor) -> Iterator[None]:
    """Reading as a role that owns nothing, with the actor's principal (found by the system, as
    a request's is), as a request does."""
    with reading_as(ROLE, principal_for(actor)):
        yield


def lives_there(tenancy: Tenancy, membership: Membership) -> bool:
    """The wall's rule for a resident: a current member of a tenancy in force, whatever their
    role (the application narrows it to account holders, and letters to those dated after
    they joined)."""
    return in_force(membership.start_date, membership.end_date) and in_force(tenancy.start_date, tenancy.end_date)


def world_asb_case(tenancy: Tenancy, reporter: Person) -> AsbCase:
    return AsbCase.objects.create(
        reference=f"ASB-{AsbCase.objects.count() + 1}",
        reporter=reporter,
        tenancy=tenancy,
        what_happened="w",
        happened_when="h",
        where=AsbCase.Where.HOME,
        shared_with_patch=True,  # so a housing officer of its patch sees it through the application too
    )


def world_case_rows(tenancy: Tenancy, reporter: Person) -> list[Model]:
    """A row of each table only some staff roles read (PersonalModel.staff_readers): a rent
    account and a card payment into it, a repair, a complaint, a message thread, an ASB case
    and a file on it."""
    now = timezone.now()
    account = RentAccount.objects.create(
        hms_reference="RA-1",
        tenancy=tenancy,
        kind=RentAccount.Kind.RENT,
        balance_pence=0,
        balance_at=now,
        charge_pence=9840,
        charge_every=Frequency.WEEK,
    )
    payment = Payment.objects.create(
        reference="PAY-1", attempt_key=uuid4(), account=account, tenancy=tenancy, paid_by=reporter, amount_pence=100
    )
    repair = Repair.objects.create(
        reference="R-1",
        tenancy=tenancy,
        category="c",
        priority="routine",
        description="d",
        reported_at=now,
        nation=repair_clocks.nation(),
    )
    region = complaint_clocks.region()
    complaint = Complaint.objects.create(
        reference="C-1",
        tenancy=tenancy,
        received_on=now.date(),
        about="a",
        wanted="w",
        nation=complaint_clocks.nation_of(region),
        region=region,
    )
    thread = Thread.objects.create(tenancy=tenancy, subject="s", team=Team.HOUSING)
    case = world_asb_case(tenancy, reporter)
    evidence = AsbEvidence.objects.create(
        case=case,
        reporter=reporter,
        file=ContentFile(b"%PDF-1.4", name="f.pdf"),
        content_type="application/pdf",
        size=8,
    )
    return [account, payment, repair, complaint, thread, case, evidence]


# Who reads each of those tables, as docs/access-model.md says: an organisation-wide role
# every row, a housing officer their patches' rows.
R = StaffRole
READERS: dict[type[Model], frozenset[str]] = {
    RentAccount: frozenset({R.INCOME_OFFICER, R.DPO}),
    Payment: frozenset({R.INCOME_OFFICER, R.DPO, R.CUSTOMER_SERVICES}),
    Repair: frozenset({R.REPAIRS_COORDINATOR, R.CUSTOMER_SERVICES, R.COMPLAINTS_HANDLER, R.DPO, R.HOUSING_OFFICER}),
    Complaint: frozenset({R.COMPLAINTS_HANDLER, R.DPO, R.HOUSING_OFFICER}),
    Thread: frozenset({R.HOUSING_OFFICER, R.REPAIRS_COORDINATOR, R.INCOME_OFFICER, R.CUSTOMER_SERVICES, R.DPO}),
    AsbCase: frozenset({R.ASB_OFFICER, R.DPO, R.HOUSING_OFFICER}),
    AsbEvidence: frozenset({R.ASB_OFFICER, R.DPO}),
}


def seen(model: type[Model], obj: Model) -> bool:
    return model._default_manager.filter(pk=obj.pk).exists()


def walled(actor: Actor, model: type[Model], obj: Model) -> bool:
    with behind_the_wall(actor):
        return seen(model, obj)


def listed(actor: Actor, model: type[Model], obj: Model) -> bool:
    """The application's rule, as the system reads it (the wall's role is not involved); an
    ASB case's files, which have none of their own: the ASB team's and the DPO's, of a case
    they may see (porch.asb.access)."""
    if model is AsbEvidence:
        case_seen = AsbCase.objects.visible_to(actor).filter(pk=obj.case_id).exists()  # type: ignore[attr-defined]
        return may_read_evidence(actor) and case_seen
    return model._default_manager.visible_to(actor).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]


class WallAgreesWithTheRule(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS")
        rls.install(connection, ROLE)  # in the class's transaction: gone after it

    def assert_wall_holds(self, actor: Actor, model: type[Model], obj: Model, rule: bool) -> None:
        """Never narrower than the application (a page would lose a row it may show), and
        nothing the plain rule does not allow."""
        through_wall = walled(actor, model, obj)
        if listed(actor, model, obj):
            self.assertTrue(through_wall, f"{model.__name__}: the wall hides a row the application shows")
        self.assertEqual(through_wall, rule, f"{model.__name__}: the wall and the rule disagree")

    @settings(max_examples=40, deadline=None)
    @given(membership_end=offsets, tenancy_end=offsets, role=roles, type_name=type_names)
    def test_a_resident_reads_their_current_homes_rows_and_no_others(
        self, membership_end, tenancy_end, role, type_name
    ) -> None:
        _, tenancy, resident, other, user = build_world(membership_end, tenancy_end, role, True)
        membership = Membership.objects.get(person=resident)
        actor = actor_for_user(user, verified=False)
        here = lives_there(tenancy, membership)
        self.assertEqual(resident_may_see_tenancy(tenancy, membership), listed(actor, Tenancy, tenancy))
        self.assert_wall_holds(actor, Tenancy, tenancy, here)
        self.assert_wall_holds(actor, Person, other, here)
        self.assert_wall_holds(actor, Person, resident, True)  # their own record, always
        self.assert_wall_holds(actor, Document, world_document(tenancy, type_name), here)

    @settings(max_examples=60, deadline=None)
    @given(**STAFF_WORLDS)
    def test_staff_read_their_roles_and_patches_rows_and_no_others(
        self, granted, in_north, has_north, type_name, trained, broke_glass
    ) -> None:
        north, tenancy, resident, other, _ = build_world(None, None, Membership.Role.LEAD_TENANT, in_north)
        staff = make_staff(
            granted, trained, patch=north if has_north else None, tenancy=tenancy, broke_glass=broke_glass
        )
        actor = actor_for_user(staff, verified=True)
        in_their_patch = (has_north and in_north) or broke_glass == "open"
        by_patch = StaffRole.HOUSING_OFFICER in granted and in_their_patch
        rule = trained and (bool(granted & ORGANISATION_WIDE) or by_patch)
        self.assert_wall_holds(actor, Tenancy, tenancy, rule)
        self.assert_wall_holds(actor, Person, resident, rule)
        self.assert_wall_holds(actor, Person, other, rule)
        # Which types a role may open (ASB case files) is the application's alone.
        self.assert_wall_holds(actor, Document, world_document(tenancy, type_name), rule)
        # The tables only some roles read: their organisation-wide readers every row, a
        # housing officer among them their patches' rows (rent and ASB files: none).
        for row in world_case_rows(tenancy, resident):
            readers = READERS[type(row)]
            by_role = bool(granted & readers & ORGANISATION_WIDE)
            by_patch_role = by_patch and StaffRole.HOUSING_OFFICER in readers
            self.assert_wall_holds(actor, type(row), row, trained and (by_role or by_patch_role))
