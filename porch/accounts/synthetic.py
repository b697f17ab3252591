"""Synthetic test households, flagged as test end to end, with residents who can sign in.

Every name, address and document carries the household's unique marker, so a crawl can
tell if one household's data ever reaches another's login. The home itself is made by
porch.housing.synthetic; each module adds its own records (Module.synthetic)."""

from __future__ import annotations

import datetime
import secrets
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.accounts.models import User
from porch.audit.services import record
from porch.core import modules, rls
from porch.core.actor import Actor
from porch.housing.models import Membership, Person, Tenancy, TestHousehold
from porch.housing.synthetic import synthetic_tenancy_create


@dataclass(frozen=True)
class SyntheticLogin:
    person: Person
    username: str
    password: str


@dataclass(frozen=True)
class CreatedHousehold:
    household: TestHousehold
    logins: list[SyntheticLogin]


def synthetic_household_create(
    *,
    actor: Actor | None,
    purpose: str,
    request: HttpRequest | None = None,
    idempotency_key: uuid.UUID | None = None,
    with_joiner: bool = False,
) -> CreatedHousehold | None:
    """A tenancy with a lead and a joint tenant who can sign in, and each module's records
    (Module.synthetic: documents adds one of every type). With a joiner: a third tenant who
    joined today, whom the modules give records from before that only the first two may
    see (their titles carry the marker and BEFORE_JOINING).
    None if this idempotency key already made one (its passwords were shown then)."""
    # Behind the database wall its rows are new, outside what the staff member's principal read
    # when the request began (an INSERT's RETURNING must pass the reading policy): the system
    # makes them, for them, and the next request's principal includes the test household.
    with rls.as_system(connection):
        return _synthetic_household_create(actor, purpose, request, idempotency_key, with_joiner)


def _synthetic_household_create(
    actor: Actor | None,
    purpose: str,
    request: HttpRequest | None,
    idempotency_key: uuid.UUID | None,
    with_joiner: bool,
) -> CreatedHousehold | None:
    if idempotency_key and TestHousehold.objects.filter(idempotency_key=idempotency_key).exists():
        return None
    marker = f"CANARY{secrets.token_hex(8).upper()}"
    with transaction.atomic():
        tenancy = synthetic_tenancy_create(address_line_1=f"1 Test Street {marker}")
        household = TestHousehold.objects.create(
            tenancy=tenancy,
            marker=marker,
            purpose=purpose,
            created_by_id=actor.user_id if actor else None,
            idempotency_key=idempotency_key,
        )
        logins = [
            _test_resident(tenancy, marker, "Lead", Membership.Role.LEAD_TENANT),
            _test_resident(tenancy, marker, "Joint", Membership.Role.JOINT_TENANT),
        ]
        if with_joiner:
            joiner = _test_resident(
                tenancy, marker, "Joining", Membership.Role.JOINT_TENANT, start=timezone.localdate()
            )
            logins.append(joiner)
        modules.synthetic_records_create(tenancy, marker)
        if actor is not None:
            record(
                actor=actor,
                action="create",
                object_type="test_household",
                object_id=tenancy.uuid,
                subject_ids=[login.person.id for login in logins],
                tenancy_id=tenancy.id,
                request=request,
            )
    return CreatedHousehold(household, logins)


def _test_resident(
    tenancy: Tenancy, marker: str, first_name: str, role: str, *, start: datetime.date | None = None
) -> SyntheticLogin:
    tag = secrets.token_hex(4)
    email = f"test-{tag}@test.invalid"
    person = Person.objects.create(
        housing_reference=f"TEST{tag.upper()}",
        first_name=first_name,
        last_name=f"Tester {marker}",
        date_of_birth=datetime.date(1990, 1, 1),
        email=email,
        is_test=True,
    )
    Membership.objects.create(tenancy=tenancy, person=person, role=role, start_date=start or tenancy.start_date)
    password = secrets.token_urlsafe(15)
    User.objects.create_user(
        username=email, email=email, password=password, kind=User.Kind.RESIDENT, person=person, is_test=True
    )
    return SyntheticLogin(person=person, username=email, password=password)
