"""The housing system API's URLs, under /api/feed/v1/: every one answers signed requests
only (the route sweep's signed-routes allow-list), and every request is logged."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern

from porch.core import rls
from porch.core.routes import SIGNED_CONNECTION, declare_patterns
from porch.integrations import signing
from porch.integrations.api import api

logger = logging.getLogger("porch.integrations")


def logged(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """One log line for every request, accepted or refused, and never kept by a cache."""

    @functools.wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            _log(request, 500, "failed: an error on our side")
            raise
        response["Cache-Control"] = "no-store"
        refusal = getattr(request, "feed_api_refusal", "") or ("refused" if response.status_code >= 400 else "")
        _log(request, response.status_code, refusal or "accepted")
        return response

    return answer


def _log(request: HttpRequest, status: int, outcome: str) -> None:
    admitted = getattr(request, "auth", None)
    named = str(admitted.uuid) if admitted is not None else _printable(request.headers.get(signing.CONNECTION, ""))
    logger.info(
        "feed api %s %s from %s, connection %s%s: %s %s",
        request.method,
        _printable(request.get_full_path()),
        getattr(request, "client_ip", ""),
        named or "not named",
        "" if admitted is not None else " (not admitted)",
        status,
        outcome,
    )


def _printable(text: str) -> str:
    """At most 200 characters, with nothing that could forge a line of the log."""
    return "".join(c if c.isprintable() else "?" for c in text[:200])


# Ninja adds a root page that only redirects to its browsable docs, which this API does not
# serve: it is left out, so every route here is an endpoint that checks the signature.
patterns = [pattern for pattern in api.urls[0] if getattr(pattern, "name", "") != "api-root"]
for pattern in patterns:
    assert isinstance(pattern, URLPattern) and pattern.callback is not None  # ninja makes one pattern a path
    # The housing system's signed requests are the feed acting, as the system (ADR 0032): its
    # connection is found by the id it sends, and reads only its own batches (access.py).
    pattern.callback = logged(rls.answered_by_system(pattern.callback))

app_name = "feed_api"
urlpatterns = declare_patterns(patterns, SIGNED_CONNECTION)
