from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.accounts.actors import actor_for_user
from porch.accounts.models import User
from porch.audit.services import record
from porch.core import rls
from porch.core.actor import Actor
from porch.core.roles import PATCH_SCOPED, StaffRole
from porch.housing.access import member_ids_by_tenancy
from porch.housing.models import Person, Tenancy, normalise_reference
from porch.staff.access import active_view_as, current_view_as
from porch.staff.models import VIEW_AS_SESSION_KEY, BreakGlass, ViewAsSession


class BreakGlassRefused(Exception):
    pass


def break_glass_open(
    *, actor: Actor, reference: str, reason: str, details: str, request: HttpRequest | None = None
) -> BreakGlass:
    """Open one tenancy outside the staff member's patches, for a few hours, on the record."""
    if not (actor.reads_personal_data and actor.roles & PATCH_SCOPED and actor.user_id):
        raise BreakGlassRefused("Only patch-based staff with current training can open records outside their patch.")
    # A home outside their patch: the database shows them none of it until it is open, and the
    # opening's INSERT (its RETURNING) must pass the reading policy, so the system finds the
    # tenancy and records the opening; the next request's principal includes it.
    with rls.as_system(connection):
        return _break_glass_open(actor, actor.user_id, reference, reason, details, request)


def _break_glass_open(
    actor: Actor, staff_id: int, reference: str, reason: str, details: str, request: HttpRequest | None
) -> BreakGlass:
    tenancy = (
        Tenancy.objects.filter(reference=normalise_reference(reference))
        .select_related("property__block__estate")
        .first()
    )
    if tenancy is None:
        raise BreakGlassRefused("No tenancy has that reference. Check it and try again.")
    if tenancy.property.block.estate.patch_id in actor.patch_ids:
        # Only homes outside the patch are opened this way, so the resident's privacy
        # page can say truthfully that an officer from another area looked.
        raise BreakGlassRefused("This home is in your patch. Find it with 'Find a tenancy' instead.")
    with transaction.atomic():
        opened = BreakGlass.objects.create(
            staff_id=staff_id,
            tenancy=tenancy,
            reason=reason,
            details=details,
            expires_at=timezone.now() + datetime.timedelta(hours=settings.BREAK_GLASS_HOURS),
        )
        record(
            actor=actor,
            action="break_glass",
            object_type="tenancy",
            object_id=tenancy.uuid,
            subject_ids=member_ids_by_tenancy([tenancy]).get(tenancy.id) or {None},
            tenancy_id=tenancy.id,
            reason=f"break glass ({reason}): {details}"[:500],
            request=request,
        )
    return opened


def break_glass_review(*, actor: Actor, opened: BreakGlass, note: str, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        opened.reviewed_at = timezone.now()
        opened.reviewed_by_id = actor.user_id
        opened.review_note = note
        opened.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        record(
            actor=actor,
            action="update",
            object_type="break_glass",
            object_id=opened.uuid,
            reason=f"reviewed: {note}"[:500],
            request=request,
        )


def view_as_start(
    *, actor: Actor, person: Person, resident: User, reason: str, reference: str, request: HttpRequest
) -> ViewAsSession:
    """Begin seeing the portal as one resident: read-only, time-limited, on the record."""
    if actor.user_id is None or not actor.has_role(StaffRole.VIEW_AS):
        raise PermissionError("Only staff with the view-as permission can view as a resident.")
    with transaction.atomic():
        session = ViewAsSession.objects.create(
            staff_id=actor.user_id,
            person=person,
            resident=resident,
            reason=reason,
            reference=reference,
            expires_at=timezone.now() + datetime.timedelta(minutes=settings.VIEW_AS_MINUTES),
        )
        record(
            actor=actor,
            action="view_as",
            object_type="view_as_session",
            object_id=session.uuid,
            subject_ids=[person.id],
            reason=f"started ({reason}): {reference}"[:500],
            request=request,
        )
    request.session[VIEW_AS_SESSION_KEY] = str(session.uuid)
    return session


def view_as_end(*, session: ViewAsSession, request: HttpRequest, why: str = "ended") -> None:
    """Stop viewing as the resident; the staff member is themselves again."""
    request.session.pop(VIEW_AS_SESSION_KEY, None)
    with transaction.atomic():
        ended = ViewAsSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=timezone.now())
        if ended:
            record(
                actor=actor_for_user(session.staff, verified=True),
                action="view_as",
                object_type="view_as_session",
                object_id=session.uuid,
                subject_ids=[session.person_id],
                reason=why,
                request=request,
            )


def view_as_end_current(*, request: HttpRequest, why: str = "ended") -> None:
    """End the view-as session this request is in, if there is one."""
    session = current_view_as(request)
    if session is not None:
        view_as_end(session=session, request=request, why=why)


def view_as_end_on_sign_out(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """Signing out, by the button or by the idle or time limit, ends the view-as session the
    browser session was in, on the record. Asked of the session and the user signing out, not
    the actor: the limits sign people out before the actor is resolved."""
    if request is None or not isinstance(user, User):
        return
    with rls.as_system(connection):  # signing out may come before who is asking is known
        session = active_view_as(user.pk, request.session.get(VIEW_AS_SESSION_KEY))
        if session is not None:
            view_as_end(session=session, request=request, why="ended: signed out")


def view_as_end_elsewhere(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """Signing out everywhere else ends the view-as sessions of the other browsers now, on the
    record: those browsers may never come back to be signed out."""
    if not isinstance(user, User):
        return
    kept = request.session.get(VIEW_AS_SESSION_KEY)
    running = ViewAsSession.objects.filter(staff_id=user.pk, ended_at__isnull=True).exclude(uuid__in=_codes(kept))
    with rls.as_system(connection):  # the staff member's own sessions, whoever they are seeing as
        for session in running.select_related("staff"):
            view_as_end(session=session, request=request, why="ended: signed out everywhere else")


def _codes(code: object) -> list[str]:
    return [code] if isinstance(code, str) else []
