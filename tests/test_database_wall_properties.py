"""The database wall and the application's rule, checked against each other on the property
tests' generated worlds (ADR 0032): whoever asks, the wall shows every row `visible_to` shows
(never narrower) and nothing beyond the rule written here in plain Python (a household's rows,
a patch's, every row for an organisation-wide role). PostgreSQL only."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.models import Model
from hypothesis import given, settings
from hypothesis.extra.django import TestCase

from porch.accounts.actors import actor_for_user, principal_for
from porch.asb.models import AsbCase
from porch.core import rls
from porch.core.actor import Actor
from porch.core.roles import ASB_READERS, ORGANISATION_WIDE, StaffRole
from porch.documents.models import Document
from porch.housing.models import Membership, Person, Tenancy
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


def seen(model: type[Model], obj: Model) -> bool:
    return model._default_manager.filter(pk=obj.pk).exists()


def walled(actor: Actor, model: type[Model], obj: Model) -> bool:
    with behind_the_wall(actor):
        return seen(model, obj)


def listed(actor: Actor, model: type[Model], obj: Model) -> bool:
    """The application's rule, as the system reads it (the wall's role is not involved)."""
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
        # ASB reports: of the organisation-wide roles only the ASB team and the DPO (the
        # application gives a housing officer only the cases shared with their patch).
        asb_rule = trained and (bool(granted & ASB_READERS) or by_patch)
        self.assert_wall_holds(actor, AsbCase, world_asb_case(tenancy, resident), asb_rule)
