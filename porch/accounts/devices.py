"""Device cookies: a browser that signed in to an account before keeps working for it.

OWASP, "Slow Down Online Guessing Attacks with Device Cookies". After a full
sign-in (password, and the code if the account has two-factor), the browser
gets a signed cookie naming the account and a random nonce. A later attempt at
that account from that browser is counted against the nonce alone, so it is
not refused when someone else has paused the account or the address for new
browsers. The nonce has its own limit; once that is used up, the browser is
treated like any new one until the pause ends. A successful sign-in gives a
fresh nonce, so its count starts again.

Attempts from other browsers count per account (RATE_LIMIT_FAILURES) and per
client address (RATE_LIMIT_ADDRESS_FAILURES, higher, since one address can be
many people). See ADR 0003.

A cookie made before the password last changed, or before "sign out everywhere
else", is not trusted (it carries a digest of both).

The cookie only lets a browser *try* at its own pace: it never signs anyone in.
It names the account by its random uuid, not by anything personal, and holds
up to MOST_ACCOUNTS accounts (joint tenants sharing a computer).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from porch.accounts.models import User
from porch.core import ratelimit
from porch.core.types import PorchRequest

COOKIE = "porch_device"
SALT = "porch.accounts.devices"
MOST_ACCOUNTS = 5
_SEPARATOR = "|"  # a cookie-safe character that signed values never contain


def _lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.RATE_LIMIT_DEVICE_DAYS)


def _tokens(request: PorchRequest) -> list[str]:
    return [token for token in request.COOKIES.get(COOKIE, "").split(_SEPARATOR) if token][:MOST_ACCOUNTS]


def _read(token: str) -> tuple[str, str, str] | None:
    """The account uuid, nonce and credential version a token holds, if it is ours, unaltered and in date."""
    try:
        held = signing.loads(token, salt=SALT, max_age=_lifetime())
    except signing.BadSignature:  # also an expired one
        return None
    if not isinstance(held, dict) or not all(isinstance(held.get(key), str) for key in ("a", "n", "v")):
        return None
    return held["a"], held["n"], held["v"]


def _version(user: User) -> str:
    """Changes when the password does, or when "sign out everywhere else" runs: a cookie
    made before either no longer counts, so nobody who once knew the password keeps a
    store of cookies to guess the next one with."""
    return salted_hmac(SALT, f"{user.password}:{user.session_stamp}", algorithm="sha256").hexdigest()[:16]


def trusted_nonce(request: PorchRequest, user: User) -> str:
    """The nonce of this browser's device cookie for this account, or "" if it has none."""
    for token in _tokens(request):
        held = _read(token)
        if held is not None and held[0] == user.uuid.hex and constant_time_compare(held[2], _version(user)):
            return held[1]
    return ""


def remember(request: PorchRequest, response: HttpResponse, user: User) -> None:
    """Trust this browser for this account, with a fresh nonce, keeping its other accounts."""
    others = [token for token in _tokens(request) if (held := _read(token)) is not None and held[0] != user.uuid.hex]
    token = signing.dumps({"a": user.uuid.hex, "n": secrets.token_urlsafe(16), "v": _version(user)}, salt=SALT)
    response.set_cookie(
        COOKIE,
        _SEPARATOR.join([token, *others][:MOST_ACCOUNTS]),
        max_age=int(_lifetime().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,  # on whenever DEBUG is off
        httponly=True,
        samesite="Lax",
    )


@dataclass(frozen=True)
class Attempt:
    """One counted try at a password or code, and where it was counted."""

    action: str
    subject: str
    address: str
    wait: int = 0
    message: str = ""

    def succeeded(self) -> None:
        ratelimit.succeeded(self.action, self.subject, address=self.address)


def count_attempt(request: PorchRequest, action: str, *, user: User | None, name: str = "") -> Attempt:
    """Count a try before checking it: on this browser if it has signed in to the
    account before, else on the account and the client address.

    `name` stands in for the account when the name typed fits none, so a name
    that fits no account is limited exactly like one that does."""
    nonce = trusted_nonce(request, user) if user is not None else ""
    if nonce:
        device = f"device:{nonce}"
        if not ratelimit.attempt(action, device):
            return Attempt(action, device, "")
        # This browser has used up its own tries: until that pause ends it counts as a new browser.
    subject = f"account:{user.pk}" if user is not None else f"name:{name}"
    account_wait = ratelimit.attempt(action, subject)
    address_wait = ratelimit.attempt(action, address=request.client_ip)
    if account_wait:
        return Attempt(action, subject, request.client_ip, account_wait, account_paused_message(account_wait))
    if address_wait:
        return Attempt(action, subject, request.client_ip, address_wait, address_paused_message(address_wait))
    return Attempt(action, subject, request.client_ip)


def _what_to_do(minutes: int) -> str:
    period = "minute" if minutes == 1 else f"{minutes} minutes"
    return (
        f"For the next {period}, you can only sign in on a phone, tablet or computer you have signed in on before. "
        f"You can also reset your password or call us on {settings.LANDLORD_PHONE}."
    )


def account_paused_message(minutes: int) -> str:
    return f"There have been too many tries to sign in to this account. {_what_to_do(minutes)}"


def address_paused_message(minutes: int) -> str:
    return f"There have been too many tries to sign in from your internet connection. {_what_to_do(minutes)}"
