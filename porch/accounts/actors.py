"""Turns the signed-in user into the Actor every access decision uses."""

from __future__ import annotations

import datetime
import time
from dataclasses import replace
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from porch.accounts.actor_parts import parts
from porch.accounts.models import ContractorFirm, User
from porch.core import rls
from porch.core.actor import ANONYMOUS_ACTOR, CONTRACTOR, RESIDENT, STAFF, Actor, Home
from porch.core.roles import ORGANISATION_WIDE, PATCH_SCOPED
from porch.housing.access import patch_households
from porch.housing.models import Membership, Property, Tenancy


def training_is_current(user: object) -> bool:
    completed = getattr(user, "training_completed_on", None)
    return completed is not None and completed > trained_after()


def trained_after() -> datetime.date:
    """Training completed after this day is current (the window is a setting kept in the database)."""
    return timezone.localdate() - datetime.timedelta(days=parts.training_valid_days())


def actor_for_user(user: object, *, verified: bool) -> Actor:
    if not isinstance(user, User) or not user.is_active:
        return ANONYMOUS_ACTOR
    if user.kind == User.Kind.RESIDENT and user.person_id:
        return _resident(user.pk, user.person_id)
    if user.kind == User.Kind.STAFF:
        if not verified:
            return Actor(kind=STAFF, user_id=user.pk, needs_mfa_setup=True)
        return Actor(
            kind=STAFF,
            user_id=user.pk,
            roles=frozenset(user.role_grants.values_list("role", flat=True)),
            patch_ids=frozenset(user.patches.values_list("id", flat=True)),
            trained=training_is_current(user),
            break_glass_tenancy_ids=parts.break_glass_tenancy_ids(user.pk),
        )
    if user.kind == User.Kind.CONTRACTOR:
        # Like staff: nothing of a household until the second step is passed.
        return Actor(kind=CONTRACTOR, user_id=user.pk, firm_id=user.firm_id, needs_mfa_setup=not verified)
    return ANONYMOUS_ACTOR


def _resident(user_id: int, person_id: int) -> Actor:
    """A resident, with their current memberships and what the rollout opens to them."""
    # Every current membership of the homes they live in: theirs, and their household's people.
    theirs = Membership.objects.current().filter(person_id=person_id).values("tenancy_id")
    households = list(
        Membership.objects.current()
        .filter(tenancy_id__in=theirs)
        .values(
            "person_id",
            "role",
            "start_date",
            "tenancy_id",
            "tenancy__start_date",
            "tenancy__is_test",
            "tenancy__property_id",
            "tenancy__property__block_id",
            "tenancy__property__block__estate_id",
            "tenancy__property__block__estate__patch_id",
        )
    )
    homes = [home for home in households if home["person_id"] == person_id]
    # Test households rehearse before any cohort opens.
    test = any(home["tenancy__is_test"] for home in homes)
    reach = parts.reach_of_test_homes() if test else parts.reach_of_homes(homes)
    return Actor(
        kind=RESIDENT,
        user_id=user_id,
        person_id=person_id,
        membership_roles=frozenset(home["role"] for home in homes),
        household_ids=frozenset(home["person_id"] for home in households),
        homes=tuple(
            Home(
                tenancy_id=home["tenancy_id"],
                holds_account=home["role"] in Membership.ACCOUNT_ROLES,
                member_since=home["start_date"],
                tenancy_started=home["tenancy__start_date"],
                property_id=home["tenancy__property_id"],
                block_id=home["tenancy__property__block_id"],
                estate_id=home["tenancy__property__block__estate_id"],
                patch_id=home["tenancy__property__block__estate__patch_id"],
            )
            for home in homes
        ),
        in_open_cohort=reach.in_open_cohort,
        rollout_modules=reach.modules,
        cohort_ids=reach.cohort_ids,
    )


def actor_for_request(request: HttpRequest) -> Actor:
    user = request.user
    if not user.is_authenticated:
        return ANONYMOUS_ACTOR
    verified = bool(getattr(user, "is_verified", lambda: False)())
    actor = actor_for_user(user, verified=verified)
    if actor.is_staff:
        return viewing_as(request, actor) or actor
    return actor


def viewing_as(request: HttpRequest, staff: Actor) -> Actor | None:
    """The resident this staff member is viewing as, with the staff member behind them.

    The staff member's own session and permissions never change: only the
    principal of access decisions does, for at most VIEW_AS_MINUTES. Only reads:
    a session past its time or no longer allowed simply does not apply here, and
    porch.staff.middleware.EndStaleViewAsMiddleware ends it, on the record, before
    the actor is resolved."""
    resident_user = parts.viewing_as_user(request, staff)
    if resident_user is None:
        return None
    resident = actor_for_user(resident_user, verified=False)
    return replace(resident, on_behalf_of_id=staff.user_id, behind_roles=staff.roles)


def principal_for(actor: Actor) -> dict[str, str]:
    """What the actor may read behind the database wall (porch.core.rls): a resident's own
    rows and their households' people; a contractor's firm and the repairs it holds; staff
    who work by patch their patches' households, their colleagues and the firms (with an
    organisation-wide role too, for the tables their other roles do not read)."""
    if actor.is_contractor:
        return rls.principal(actor, jobs=parts.firm_jobs(actor))
    by_patch = not actor.roles & ORGANISATION_WIDE or actor.roles & PATCH_SCOPED
    if actor.reads_personal_data and by_patch:
        return rls.principal(actor, households=_patch_households(actor))
    return rls.principal(actor)


# What the database found for staff who work by patch, by what it depends on (this process's).
_found: dict[tuple[Any, ...], tuple[float, rls.Households]] = {}
# A home moved to another patch keeps its old patch's officer in the database this long (the
# application's rule already follows it); everything else that would change them changes the key.
FOUND_SECONDS = 300
FOUND_KEPT = 500


def _patch_households(actor: Actor) -> rls.Households:
    """A patch's thousands of ids cost tens of milliseconds to find (ADR 0032), so they are
    kept until a new home, tenancy, member, account or firm appears, or their patches, break
    glass or roles change: never narrower than the application's rule, which reads afresh."""
    key = (
        connection.alias,
        connection.settings_dict["NAME"],
        actor.user_id,
        tuple(sorted(actor.patch_ids)),
        tuple(sorted(actor.break_glass_tenancy_ids)),
        tuple(sorted(actor.roles)),
        rls.newest_ids(connection, (Property, Tenancy, Membership, User, ContractorFirm)),
    )
    kept = _found.get(key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    found = rls.find_ids(
        connection,
        {
            **patch_households(actor),
            # Names on a repair, a thread or a timeline: staff and contractors, never a resident.
            "colleagues": User.objects.exclude(kind=User.Kind.RESIDENT).values_list("id"),
            "firms": ContractorFirm.objects.values_list("id"),
        },
    )
    households = rls.Households(**found)
    if len(_found) >= FOUND_KEPT:
        _found.clear()
    _found[key] = (time.monotonic() + FOUND_SECONDS, households)
    return households


def forget_found() -> None:
    """Between tests: a database made again can repeat the ids of the key."""
    _found.clear()
