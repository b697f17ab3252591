"""The access model at the moment of an old event, as one SQL condition.

`within_model()` is true for an AccessEvent row when the person whose data it was
(the subject) could be shown to the actor by the rules in docs/access-model.md *on
the day and at the time of the event*, read from the dated history that exists
(ADR 0006). Everything else that carries a subject is "served outside the access
model". One condition over the whole window, evaluated by the database: no Python
loop per event.

Every part is an EXISTS (true or false, never NULL), so an anonymous or deleted
actor can never slip through a NULL comparison.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import TruncDate

from porch.accounts.models import User
from porch.audit.models import AccessEvent, PatchHeld, RoleHeld, TrainingHeld
from porch.core.modules import AuditKind, ResidentRule, audit_kinds
from porch.core.roles import ORGANISATION_WIDE, PATCH_SCOPED
from porch.housing.models import Membership
from porch.rollout.policy import training_valid_days
from porch.staff.models import BreakGlass


def _kinds_where(rule: ResidentRule) -> list[str]:
    return [kind.key for kind in audit_kinds() if kind.residents == rule]


def _place_kinds() -> list[AuditKind]:
    return [kind for kind in audit_kinds() if kind.residents == ResidentRule.PLACE and kind.place]


def with_moment(events: QuerySet[AccessEvent]) -> QuerySet[AccessEvent]:
    """The event's local day (membership dates are local dates), the acting user's
    person, and the earliest training date still valid on that day."""
    window = datetime.timedelta(days=training_valid_days())
    return events.annotate(
        day=TruncDate("at"),
        actor_person=F("actor__person_id"),
        training_after=ExpressionWrapper(
            TruncDate("at") - Value(window, output_field=DurationField()), output_field=DateField()
        ),
    )


def within_model() -> Q:
    """Allowed then: the subject themselves, their household, the people of a place
    (for records about a place), staff the model let in, or the contractor firm that held
    the record."""
    return _is_themselves() | _resident_allowed() | _place_allowed() | _staff_allowed() | _contractor_allowed()


def served_outside_model(events: QuerySet[AccessEvent]) -> QuerySet[AccessEvent]:
    """The events among these in which someone's data, or a place's records, reached a
    person the model did not allow."""
    about_a_place = [kind.key for kind in _place_kinds()]
    judged = Q(subject__isnull=False) | Q(object_type__in=about_a_place)
    return with_moment(events).filter(judged).filter(~within_model())


def _in_force(prefix: str, day: OuterRef) -> Q:
    """A membership or tenancy in force on a day: it stops giving access on its end date."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


def _held_at(at: OuterRef) -> Q:
    """A dated period (role, patch, training record) covering a moment."""
    return (Q(started_at__isnull=True) | Q(started_at__lte=at)) & (Q(ended_at__isnull=True) | Q(ended_at__gt=at))


def _is_themselves() -> Q:
    return Q(Exists(User.objects.filter(pk=OuterRef("actor_id"), person_id=OuterRef("subject_id"))))


def _homes_of_acting_resident() -> QuerySet[Membership]:
    """The acting resident's account-holding memberships in force that day, of tenancies in force.
    During view-as the actor is the resident, so this is the resident's view too."""
    day = OuterRef("day")
    return Membership.objects.filter(
        _in_force("", day),
        _in_force("tenancy__", day),
        person_id=OuterRef("actor_person"),
        role__in=Membership.ACCOUNT_ROLES,
    )


def _resident_household() -> Q:
    """The subject was a member of the same tenancy that day."""
    same_tenancy = _homes_of_acting_resident().filter(
        _in_force("tenancy__memberships__", OuterRef("day")),
        tenancy__memberships__person_id=OuterRef("subject_id"),
    )
    return Q(Exists(same_tenancy))


def _resident_home_reached() -> Q:
    """Tenancy records (documents, the household page) reached through a home the
    resident held that day: the model shows them whoever they mention."""
    return Q(Exists(_homes_of_acting_resident().filter(tenancy_id=OuterRef("tenancy_id"))))


def _resident_allowed() -> Q:
    """Their household's details and tenancy records, with two limits for documents:
    residents are never shown internal ones, and a document is theirs only if they are
    among the people it is about (its addressee, or a member on the day it is dated:
    someone who joined later is not). record() writes every subject of one read in the
    same instant, so "among them" is one indexed look-up on (subject, at)."""
    household_or_home = _resident_household() | _resident_home_reached()
    own_rule = [*_kinds_where(ResidentRule.ABOUT_THEM), *_kinds_where(ResidentRule.NEVER)]
    own_rule += _kinds_where(ResidentRule.PLACE)
    about_them = Q(
        Exists(
            AccessEvent.objects.filter(
                subject_id=OuterRef("actor_person"),
                at=OuterRef("at"),
                actor_id=OuterRef("actor_id"),
                object_id=OuterRef("object_id"),
            )
        )
    )
    return (~Q(object_type__in=own_rule) & household_or_home) | (
        Q(object_type__in=_kinds_where(ResidentRule.ABOUT_THEM)) & household_or_home & about_them
    )


def _place_allowed() -> Q:
    """Records about a place (a block, an estate): the reader lived there that day. Each
    kind's module says which homes its record covers (AuditKind.place)."""
    allowed = Q(pk__in=[])
    for kind in _place_kinds():
        assert kind.place is not None  # for the type checker: _place_kinds keeps only these
        homes = kind.place(OuterRef(OuterRef("object_id")))
        lived_there = _homes_of_acting_resident().filter(tenancy__property__in=homes)
        allowed |= Q(object_type=kind.key) & Q(Exists(lived_there))
    return allowed


def _contractor_allowed() -> Q:
    """A contractor's read of a record their firm held at that moment (AuditKind.contractor_firms)."""
    allowed = Q(pk__in=[])
    for kind in audit_kinds():
        if kind.contractor_firms is None:
            continue
        firms = kind.contractor_firms(OuterRef(OuterRef("object_id")), OuterRef(OuterRef("at")))
        theirs = User.objects.filter(pk=OuterRef("actor_id"), kind=User.Kind.CONTRACTOR, firm_id__in=firms)
        allowed |= Q(object_type=kind.key) & Q(Exists(theirs))
    return allowed


def _staff_allowed() -> Q:
    """Trained that day, and either an organisation-wide role then, or a patch role
    then with the tenancy in one of their patches then or opened with break glass."""
    at = OuterRef("at")
    actor = OuterRef("actor_id")
    trained = TrainingHeld.objects.filter(_held_at(at), user_id=actor, completed_on__gt=OuterRef("training_after"))
    organisation_wide = RoleHeld.objects.filter(_held_at(at), user_id=actor, role__in=ORGANISATION_WIDE)
    patch_role = RoleHeld.objects.filter(_held_at(at), user_id=actor, role__in=PATCH_SCOPED)
    return (
        Q(Exists(trained))
        & (Q(Exists(organisation_wide)) | (Q(Exists(patch_role)) & (_tenancy_seen() | _person_seen() | _place_seen())))
        & _readers_only()
    )


def _readers_only() -> Q:
    """Kinds only some roles may read (ASB case files and witness statements): the actor
    held one of those roles then."""
    held = Q()
    for kind in audit_kinds():
        if kind.readers:
            reader = RoleHeld.objects.filter(
                _held_at(OuterRef("at")), user_id=OuterRef("actor_id"), role__in=kind.readers
            )
            held &= ~Q(object_type=kind.key) | Q(Exists(reader))
    return held


def _place_seen() -> Q:
    """A record about a place: its patch (declared, or that of its homes) was one of the staff
    member's patches then."""
    seen = Q(pk__in=[])
    for kind in _place_kinds():
        assert kind.place is not None
        object_id = OuterRef(OuterRef("object_id"))
        patches: QuerySet[Any, Any] = (
            kind.place_patches(object_id)
            if kind.place_patches
            else kind.place(object_id).values("block__estate__patch_id")
        )
        in_patch = PatchHeld.objects.filter(
            _held_at(OuterRef("at")), user_id=OuterRef("actor_id"), patch_id__in=patches
        )
        seen |= Q(object_type=kind.key) & Q(Exists(in_patch))
    return seen


def _tenancy_seen() -> Q:
    """Reached through a tenancy: that tenancy was in their patch, or open to them by break glass."""
    at = OuterRef("at")
    in_patch = PatchHeld.objects.filter(
        _held_at(at), user_id=OuterRef("actor_id"), patch_id=OuterRef("tenancy__property__block__estate__patch_id")
    )
    break_glass = BreakGlass.objects.filter(
        staff_id=OuterRef("actor_id"), tenancy_id=OuterRef("tenancy_id"), created_at__lte=at, expires_at__gt=at
    )
    return Q(tenancy_id__isnull=False) & (Q(Exists(in_patch)) | Q(Exists(break_glass)))


def _person_seen() -> Q:
    """About a person alone: they have been a member of a tenancy the staff member could see then.
    Asked from the person's side (their few memberships), not the patch's (thousands of homes)."""
    at = OuterRef("at")
    their_patches = Membership.objects.filter(person_id=OuterRef(OuterRef("subject_id"))).values(
        "tenancy__property__block__estate__patch_id"
    )
    in_patch = PatchHeld.objects.filter(_held_at(at), user_id=OuterRef("actor_id"), patch_id__in=their_patches)
    break_glass = BreakGlass.objects.filter(
        staff_id=OuterRef("actor_id"),
        created_at__lte=at,
        expires_at__gt=at,
        tenancy__memberships__person_id=OuterRef("subject_id"),
    )
    return Q(tenancy_id__isnull=True) & (Q(Exists(in_patch)) | Q(Exists(break_glass)))
