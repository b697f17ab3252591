from __future__ import annotations

import time
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from porch.accounts.actors import actor_for_request, principal_for
from porch.core import rls
from porch.core.actor import Actor
from porch.core.types import PorchRequest

LAST_SEEN = "porch_last_seen"
STARTED = "porch_started"
# The last-seen time is written at most this often: saving the session on every request
# would add a write transaction to every page. The idle limit is then exact to a minute.
LAST_SEEN_EVERY_SECONDS = 60


def session_limits(kind: str) -> tuple[int, int]:
    """Idle and absolute limits in seconds for this kind of user."""
    if kind == "resident":
        return settings.RESIDENT_SESSION_IDLE_MINUTES * 60, settings.RESIDENT_SESSION_ABSOLUTE_MINUTES * 60
    return settings.STAFF_SESSION_IDLE_MINUTES * 60, settings.STAFF_SESSION_ABSOLUTE_MINUTES * 60


class SessionLifetimeMiddleware:
    """Signs people out after a spell of inactivity, and after a fixed time whatever they do."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            idle, absolute = session_limits(getattr(user, "kind", "staff"))
            started = float(request.session.get(STARTED, now))
            last_seen = float(request.session.get(LAST_SEEN, now))
            if now - last_seen > idle or now - started > absolute:
                logout(request)
                messages.info(request, "You were signed out to keep your account safe. Sign in again to continue.")
            else:
                request.session.setdefault(STARTED, started)
                if LAST_SEEN not in request.session or now - last_seen >= LAST_SEEN_EVERY_SECONDS:
                    request.session[LAST_SEEN] = now
        return self.get_response(request)


class ActorMiddleware:
    """Gives each request its actor (porch.core.actor.Actor), resolved when first used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: PorchRequest) -> HttpResponse:
        def find() -> tuple[Actor, dict[str, str]]:
            actor = actor_for_request(request)
            return actor, principal_for(actor) if rls.is_on(connection) else {}

        def resolve() -> Actor:
            # Behind the database wall (ADR 0032), who is asking is found by the system, and
            # from then on the request reads what the actor may.
            return rls.found_then(connection, find)

        # The lazy object passes every use through to the Actor it makes; the stubs type it as
        # SimpleLazyObject[Actor], a class of its own, so it is cast to what it stands in for.
        request.actor = cast(Actor, SimpleLazyObject(resolve))
        return self.get_response(request)
