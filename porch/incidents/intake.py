"""Who an online report comes from, and its form's key bound to the browser it was given to.

Both are keyed hashes (an HMAC with a key derived from AUDIT_KEY, in the style of
porch.audit.chain.session_reference): the database never holds a reporter's address or a
session key, and nobody without the key can tell from a hash which address it was."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import uuid

from django.conf import settings
from django.http import HttpRequest

from porch.core.actor import Actor

# Kept in the session of whoever is shown the report form, so a signed-out visitor has a
# session for the form's key to be bound to.
FORM_GIVEN = "porch_privacy_report_form"


def _keyed(purpose: str, value: str) -> bytes:
    key = hmac.new(settings.AUDIT_KEY.encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).digest()


def sender_key(actor: Actor, client_ip: str) -> str:
    """Signed in: the account, so a resident behind a library's or a mobile network's shared
    address is never counted with a scanner beside them. Signed out: the address; for IPv6
    its /64 network, which one connection usually holds whole and could otherwise walk."""
    reporter = actor.on_behalf_of_id or actor.user_id  # viewing as a resident: the staff member
    if reporter is not None:
        return _keyed("porch.incidents.sender", f"account:{reporter}").hex()
    return _keyed("porch.incidents.sender", f"address:{_network(client_ip)}").hex()


def _network(client_ip: str) -> str:
    try:
        address = ipaddress.ip_address(client_ip.strip())
    except ValueError:
        return client_ip.strip()
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def form_given(request: HttpRequest) -> None:
    """Mark the session as shown the form (creating a session for a signed-out visitor)."""
    request.session[FORM_GIVEN] = True


def key_for_session(request: HttpRequest, form_key: uuid.UUID) -> uuid.UUID:
    """The form's key bound to this browser session: a double submit from the same browser
    gives the same key (one report), while the same key replayed from another browser gives
    another (its own new report, never the first visitor's). Without a session there is
    nothing to bind it to, so it can only be a new report."""
    session_key = getattr(request, "session", None) and request.session.session_key
    if not session_key:
        return uuid.uuid4()
    digest = _keyed("porch.incidents.form_key", f"{session_key}:{form_key}")
    return uuid.UUID(bytes=digest[:16], version=4)
