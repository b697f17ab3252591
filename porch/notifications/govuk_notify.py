"""GOV.UK Notify, spoken directly: its REST API (`POST /v2/notifications/sms` and `/email`)
with the JWT bearer token its documentation describes, so no client library and its
dependencies come with it.

An API key is "<key name>-<service id>-<secret key>", the last two uuids. Each request
carries a token signed with HS256 under the secret key, whose `iss` is the service id and
`iat` the time now in seconds (Notify refuses one more than 30 seconds off its clock).
Messages go through two templates made once in Notify's admin tool: a text message template
whose whole body is `((body))`, and an email template with subject `((subject))` and body
`((body))`. A failure raises NotifyError, whose words are short and never hold the address.

Text messages: SMS_BACKEND=porch.notifications.govuk_notify.NotifySmsBackend. Emails, if the
landlord sends those through Notify too: EMAIL_BACKEND=porch.notifications.govuk_notify.NotifyEmailBackend.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.views.decorators.debug import sensitive_variables

from porch.core.sms import TextMessage

UUID_LENGTH = 36


class NotifyError(Exception):
    """Notify did not take the message. Safe to show staff: no address, no message."""


def split_key(api_key: str) -> tuple[str, str]:
    """(service id, secret key) from an API key, as Notify's own clients read it."""
    if len(api_key) < 2 * UUID_LENGTH + 2:
        raise NotifyError("The GOV.UK Notify API key (NOTIFY_API_KEY) is not a whole key")
    return api_key[-2 * UUID_LENGTH - 1 : -UUID_LENGTH - 1], api_key[-UUID_LENGTH:]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@sensitive_variables("secret")
def token(service_id: str, secret: str, issued_at: int | None = None) -> str:
    """A JWT (HS256) for one request."""
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    claims = {"iss": service_id, "iat": int(time.time()) if issued_at is None else issued_at}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signed = f"{header}.{payload}"
    signature = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{_b64(signature)}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect would carry the token elsewhere


_OPENER = urllib.request.build_opener(_NoRedirects)


@sensitive_variables("secret", "payload")
def post(path: str, payload: Mapping[str, Any]) -> str:
    """POST to Notify; the new notification's id on 201, NotifyError otherwise."""
    service_id, secret = split_key(settings.NOTIFY_API_KEY)
    request = urllib.request.Request(  # noqa: S310 (the base URL is checked in settings)
        settings.NOTIFY_BASE_URL.rstrip("/") + path,
        data=json.dumps(payload).encode(),
        headers={
            "Authorization": f"Bearer {token(service_id, secret)}",
            "Content-Type": "application/json",
            "User-Agent": "Porch",
        },
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        with error:
            raise NotifyError(f"GOV.UK Notify answered {error.code} ({_error_name(error.read())})") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise NotifyError(f"GOV.UK Notify could not be reached ({error.__class__.__name__})") from None
    return str(answer.get("id", ""))


def _error_name(body: bytes) -> str:
    """The error's type ("BadRequestError"), not its message, which may quote what was sent."""
    try:
        errors = json.loads(body).get("errors") or [{}]
        return str(errors[0].get("error", "no reason given"))[:60]
    except (ValueError, AttributeError, IndexError):
        return "no reason given"


class NotifySmsBackend:
    """A text message through Notify (porch.core.sms's backend interface)."""

    def send(self, message: TextMessage) -> None:
        post(
            "/v2/notifications/sms",
            {
                "phone_number": message.to,
                "template_id": settings.NOTIFY_SMS_TEMPLATE_ID,
                "personalisation": {"body": message.body},
            },
        )


class NotifyEmailBackend(BaseEmailBackend):
    """Emails through Notify: subject and plain body into the email template, one call per
    recipient (Notify takes one address a call). Attachments are not sent: Porch's emails have none."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            try:
                for address in [*message.to, *message.cc, *message.bcc]:
                    post(
                        "/v2/notifications/email",
                        {
                            "email_address": address,
                            "template_id": settings.NOTIFY_EMAIL_TEMPLATE_ID,
                            "personalisation": {"subject": str(message.subject), "body": str(message.body)},
                        },
                    )
            except NotifyError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent
