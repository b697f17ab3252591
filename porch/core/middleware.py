from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import patch_vary_headers

from porch.core import rls
from porch.core.types import PorchRequest


def client_address(request: HttpRequest) -> str:
    """The client's address, trusting only as many proxies as we were told sit in front."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


# The portal's pages are read with GET (or HEAD) and forms are sent with POST; nothing else.
METHODS = ("GET", "HEAD", "POST", "OPTIONS")


class RequestContextMiddleware:
    """Gives each request an id and a client address, both recorded in the audit log.

    An OPTIONS request is answered here with the methods the portal accepts and no body,
    and any other method (PUT, DELETE...) is refused: function views would otherwise
    render the whole page for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: PorchRequest) -> HttpResponse:
        request.request_id = uuid.uuid4().hex
        request.client_ip = client_address(request)
        if request.method not in METHODS:
            response: HttpResponse = HttpResponseNotAllowed(METHODS)
        elif request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(METHODS)
        else:
            response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response


class PrivateResponseMiddleware:
    """Makes every response to a signed-in user uncacheable by shared caches.

    Also sets the Permissions-Policy header, which Django does not set itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ["Cookie"])
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseWallMiddleware:
    """Runs the request behind the database wall (porch.core.rls, ADR 0032) when it is on:
    from the start, the session's user may read only their own account; the actor, once
    resolved, widens that to what they may see (porch.accounts.middleware); at the end
    nobody is asking, so a reused connection carries nothing into the next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not rls.is_on(connection):
            return self.get_response(request)
        rls.claim(connection, rls.identity_principal(request.session.get(SESSION_KEY)))
        try:
            return self.get_response(request)
        finally:
            rls.release(connection)
