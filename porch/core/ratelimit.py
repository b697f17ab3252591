"""Attempt counting with a time-limited pause, kept in the shared cache.

Each guarded action counts an attempt per key (an account, a client address)
*before* doing the work, so a burst of parallel requests cannot slip past the
check; a success takes its attempt back. After RATE_LIMIT_FAILURES attempts
without success, the key is paused until RATE_LIMIT_PAUSE_MINUTES after its
first attempt. There is no permanent lockout: the pause ends by itself.

Counting is atomic on Redis (REDIS_URL), which several servers must use; the
database cache, for a single server, is close enough.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(action: str, subject: str) -> str:
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{action}:{digest}"


def attempt(action: str, *subjects: str) -> int:
    """Count an attempt; return the minutes to wait if any subject is paused, else 0."""
    pause = settings.RATE_LIMIT_PAUSE_MINUTES
    paused = False
    for subject in filter(None, subjects):
        key = _key(action, subject)
        cache.add(key, 0, timeout=pause * 60)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=pause * 60)
            count = 1
        paused = paused or count > settings.RATE_LIMIT_FAILURES
    return pause if paused else 0


def succeeded(action: str, *subjects: str) -> None:
    """Take back the attempt that worked, so only failures add up."""
    for subject in filter(None, subjects):
        try:
            if cache.decr(_key(action, subject)) < 0:
                cache.delete(_key(action, subject))
        except ValueError:
            pass


def pause_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"You have tried too many times. Try again in {minutes} {unit}."
