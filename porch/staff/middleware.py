"""Ending a view-as session that has run out, as its own step, before the actor is resolved."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse

from porch.accounts.actors import actor_for_user
from porch.core import rls
from porch.staff.access import NO_LONGER_ALLOWED, TIME_UP, active_view_as, stale_reason
from porch.staff.models import VIEW_AS_SESSION_KEY
from porch.staff.services import view_as_end

TOLD = {
    TIME_UP: f"Your view as a resident ended: it lasts at most {settings.VIEW_AS_MINUTES} minutes.",
    NO_LONGER_ALLOWED: "Your view as a resident ended: you are no longer allowed to see this account.",
}


class EndStaleViewAsMiddleware:
    """A staff member's view-as session past its time, or over a home they may no longer
    see, is ended here (audited, and they are told), so that resolving the actor only reads.
    A key naming no running session is forgotten."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if VIEW_AS_SESSION_KEY in request.session and request.user.is_authenticated:
            # Part of finding who is asking: behind the database wall (ADR 0032), the system's.
            with rls.as_system(connection):
                self._end_if_stale(request)
        return self.get_response(request)

    @staticmethod
    def _end_if_stale(request: HttpRequest) -> None:
        verified = bool(getattr(request.user, "is_verified", lambda: False)())
        staff = actor_for_user(request.user, verified=verified)
        session = active_view_as(staff.user_id or 0, request.session.get(VIEW_AS_SESSION_KEY))
        if session is None:
            request.session.pop(VIEW_AS_SESSION_KEY, None)
            return
        why = stale_reason(staff, session)
        if why:
            view_as_end(session=session, request=request, why=why)
            messages.info(request, TOLD[why])
