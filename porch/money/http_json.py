"""One JSON call to a payment provider's API, with a timeout and no redirects followed (a
redirect would carry the credentials elsewhere). The network failing is ProviderUnavailable;
an HTTP error's status and body are the caller's to read, since each provider says different
things with them."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from django.views.decorators.debug import sensitive_variables

from porch.money.providers import ProviderUnavailable

logger = logging.getLogger("porch.money.providers")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


@sensitive_variables()  # bank details pass through here: never in an error report
def call_json(
    method: str, url: str, *, headers: Mapping[str, str], body: Mapping[str, Any] | None, timeout: int
) -> tuple[int, Any]:
    """(status, parsed body). Raises ProviderUnavailable when there is no answer to read."""
    sent = {"Accept": "application/json", **headers}
    if body is not None:
        sent["Content-Type"] = "application/json"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=sent, method=method)  # noqa: S310 (https checked in settings)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, _parsed(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _parsed(error.read())
    except (OSError, http.client.HTTPException) as error:
        raise unavailable(f"{method} {url} could not be reached: {error.__class__.__name__}") from None


def _parsed(data: bytes) -> Any:
    try:
        return json.loads(data) if data else {}
    except ValueError:
        return {}


def unavailable(why: str) -> ProviderUnavailable:
    logger.warning("payments: %s", why)
    return ProviderUnavailable(why)


def signed_by(secret: str, body: bytes, given: str) -> bool:
    """Whether `given` is the HMAC-SHA256 of the body's exact bytes under the secret, in hex,
    as both GOV.UK Pay and GoCardless sign their webhooks. An empty secret signs nothing."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return bool(secret) and hmac.compare_digest(given.strip().lower().encode(), expected.encode())
