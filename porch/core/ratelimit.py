"""Attempt counting with a time-limited pause, in the shared database.

Each guarded action counts an attempt per key *before* doing the work, so a
burst of parallel requests cannot slip past the check; a success takes its
attempt back. A key is paused, once it has more attempts than its limit,
until RATE_LIMIT_PAUSE_MINUTES after the first attempt of its window. There is
no permanent lockout: the pause ends by itself.

Two limits, because the keys are shared differently:

- a subject (an account, a name typed that matches none, a reference, a
  browser's device cookie) stands for one person, so it gets
  RATE_LIMIT_FAILURES;
- a client address may stand for a whole household, a library or everyone
  behind a mobile carrier's NAT, so it gets the higher
  RATE_LIMIT_ADDRESS_FAILURES. It still stops one address trying a password
  against many accounts. IPv6 addresses count per /64, the block one home or
  one phone is given, so stepping through one's own block does not help.

Password sign-in also trusts browsers that signed in before: see
porch/accounts/devices.py and ADR 0003.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import math

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from porch.core.models import AttemptCounter


def _key(action: str, subject: str) -> str:
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:40]
    return f"{action}:{digest}"


def _address_subject(address: str) -> str:
    """The key an address counts under: its /64 for IPv6, itself otherwise."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return f"address:{address}"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return f"address:{parsed.ipv4_mapped}"
        return f"address:{ipaddress.IPv6Network((parsed, 64), strict=False)}"
    return f"address:{parsed}"


def _keys(action: str, subjects: tuple[str, ...], address: str) -> list[tuple[str, int]]:
    """Each key to count, with the attempts it may have before it is paused."""
    keys = [(_key(action, subject), settings.RATE_LIMIT_FAILURES) for subject in subjects if subject]
    if address:
        keys.append((_key(action, _address_subject(address)), settings.RATE_LIMIT_ADDRESS_FAILURES))
    return keys


# What a count that could not be made reads as: more than any limit, so the caller pauses.
FAIL_CLOSED = 2**31


def _count(key: str, window: datetime.timedelta | None = None) -> tuple[int, datetime.datetime]:
    """Add one attempt to the key's current window (starting a new one if it has ended), a
    window of RATE_LIMIT_PAUSE_MINUTES unless the caller gives its own.

    Returns the count so far and when the window ends."""
    now = timezone.now()
    window = window or datetime.timedelta(minutes=settings.RATE_LIMIT_PAUSE_MINUTES)
    for _ in range(3):
        with transaction.atomic():
            if AttemptCounter.objects.filter(key=key, window_ends__gt=now).update(count=F("count") + 1):
                counter = AttemptCounter.objects.get(key=key)
                return counter.count, counter.window_ends
            AttemptCounter.objects.filter(key=key, window_ends__lte=now).delete()
            try:
                with transaction.atomic():
                    AttemptCounter.objects.create(key=key, count=1, window_ends=now + window)
                return 1, now + window
            except IntegrityError:
                continue  # another request started the window first: count in it
    return FAIL_CLOSED, now + window


def attempt(action: str, *subjects: str, address: str = "") -> int:
    """Count an attempt for each subject and for the client address, if given.

    Returns the minutes until the last paused key's pause ends (rounded up), or
    0 if none is paused. Subjects pause after RATE_LIMIT_FAILURES attempts, the
    address after RATE_LIMIT_ADDRESS_FAILURES."""
    now = timezone.now()
    paused_until: datetime.datetime | None = None
    for key, allowed in _keys(action, subjects, address):
        count, window_ends = _count(key)
        if count > allowed:
            paused_until = max(paused_until or window_ends, window_ends)
    if paused_until is None:
        return 0
    return max(1, math.ceil((paused_until - now).total_seconds() / 60))


def counted(action: str, subject: str, *, window: datetime.timedelta) -> tuple[int, datetime.datetime]:
    """Count one use by a subject in a fixed window of the given length (a housing system
    connection's requests in a minute): the uses so far in the window, and when it ends.
    Every use counts; nothing is taken back."""
    return _count(_key(action, subject), window)


def succeeded(action: str, *subjects: str, address: str = "") -> None:
    """Take back the attempt that worked, so only failures add up."""
    keys = [key for key, _ in _keys(action, subjects, address)]
    AttemptCounter.objects.filter(key__in=keys, count__gt=0).update(count=F("count") - 1)


def pause_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"You have tried too many times. Try again in {minutes} {unit}."
