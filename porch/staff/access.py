"""The one way in to break-glass records."""

from __future__ import annotations

from uuid import UUID

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from porch.accounts.models import User
from porch.core import rls
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.housing.access import get_person_for
from porch.housing.models import Membership, Person, Tenancy
from porch.staff.models import VIEW_AS_SESSION_KEY, BreakGlass, ViewAsSession


def open_break_glass_tenancy_ids(user_id: int) -> frozenset[int]:
    """Tenancies this staff member opened outside their patch, still open now."""
    now = timezone.now()
    ids = BreakGlass.objects.filter(staff_id=user_id, expires_at__gt=now).values_list("tenancy_id", flat=True)
    return frozenset(ids)


def break_glass_waiting_review(actor: Actor) -> QuerySet[BreakGlass]:
    """The DPO's review list: every break-glass opening not yet reviewed."""
    if not actor.has_role(StaffRole.DPO):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(reviewed_at__isnull=True)
        .select_related("staff", "tenancy__property")
        .order_by("created_at")
    )


def get_break_glass_for(actor: Actor, code: UUID | str) -> BreakGlass:
    found = break_glass_waiting_review(actor).filter(uuid=code).first()
    if found is None:
        raise Http404
    return found


def open_break_glass_on(actor: Actor, tenancy_id: int) -> BreakGlass | None:
    """The actor's own open break-glass record for a tenancy, to show why it is open."""
    if tenancy_id not in actor.break_glass_tenancy_ids:
        return None
    return (
        BreakGlass.objects.filter(staff_id=actor.user_id, tenancy_id=tenancy_id, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


class ViewAsRefused(Exception):
    pass


def resident_to_view_as(actor: Actor, code: UUID | str) -> tuple[Person, User]:
    """A resident the staff member may see, who has an account and a current home.

    Staff, contractors and people without a portal account can never be viewed:
    only a Person with a resident login is ever the principal of a view-as."""
    person = get_person_for(actor, code)
    resident = User.objects.filter(person=person, kind=User.Kind.RESIDENT, is_active=True).first()
    if resident is None:
        raise ViewAsRefused("This person has not created an account, so there is nothing to see.")
    with rls.as_system(connection):  # their homes outside the staff member's sight count too
        has_a_home = Membership.objects.current().account_holders().filter(person=person).exists()
    if not has_a_home:
        raise ViewAsRefused("This person has no current home with us, so there is nothing to see.")
    if not may_still_view_as(actor, person.pk):
        raise ViewAsRefused("This person also has a home you cannot see, so you cannot see their account.")
    return person, resident


def may_still_view_as(actor: Actor, person_id: int) -> bool:
    """Every current home of the resident is one the staff member may see (their
    patch, or opened with break glass): seeing the account shows all of them."""
    seen = list(Tenancy.objects.visible_to(actor).values_list("id", flat=True).filter(memberships__person_id=person_id))
    # Behind the database wall the staff member's own principal shows no home outside their
    # sight, so the homes they cannot see would not count: every home is read by the system.
    with rls.as_system(connection):
        homes = Membership.objects.current().filter(person_id=person_id).values("tenancy_id")
        hidden = homes.exclude(tenancy_id__in=seen).exists()
    return actor.has_role(StaffRole.VIEW_AS) and actor.reads_personal_data and not hidden


def active_view_as(staff_user_id: int, code: object) -> ViewAsSession | None:
    """The staff member's view-as session named in their browser session, if still running."""
    if not isinstance(code, str):
        return None
    return (
        ViewAsSession.objects.filter(uuid=code, staff_id=staff_user_id, ended_at__isnull=True)
        .select_related("resident", "person", "staff")
        .first()
    )


# Why a running view-as session ends by itself (recorded as the audit row's reason).
TIME_UP = "ended: time limit reached"
NO_LONGER_ALLOWED = "ended: no longer allowed to see this account"


def stale_reason(staff: Actor, session: ViewAsSession) -> str:
    """Why a running view-as session must end now ("" if it may go on)."""
    if session.expires_at <= timezone.now():
        return TIME_UP
    if not may_still_view_as(staff, session.person_id):
        return NO_LONGER_ALLOWED
    return ""


def live_view_as(staff: Actor, code: object) -> ViewAsSession | None:
    """The staff member's view-as session, if it is running and may go on (reads only)."""
    session = active_view_as(staff.user_id or 0, code)
    return session if session is not None and not stale_reason(staff, session) else None


def viewing_as_user(request: HttpRequest, staff: Actor) -> User | None:
    """The resident whose portal this staff member is seeing, while the session may go on."""
    session = live_view_as(staff, request.session.get(VIEW_AS_SESSION_KEY))
    return session.resident if session is not None else None


def current_view_as(request: HttpRequest) -> ViewAsSession | None:
    """The view-as session this request is being served under, if any."""
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_viewing_as:
        return None
    return active_view_as(actor.on_behalf_of_id, request.session.get(VIEW_AS_SESSION_KEY))
