"""Failure counting with a time-limited pause, kept in the shared cache.

Each guarded action counts failures per key (an account, a client address).
After RATE_LIMIT_FAILURES failures the key is paused for RATE_LIMIT_PAUSE_MINUTES.
There is no permanent lockout: the pause ends by itself.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache


def _key(action: str, subject: str) -> str:
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{action}:{digest}"


def minutes_to_wait(action: str, *subjects: str) -> int:
    """Whole minutes until every subject may try again; 0 when none is paused."""
    now = time.time()
    wait = 0.0
    for subject in subjects:
        if not subject:
            continue
        state = cache.get(_key(action, subject))
        if state and state["count"] >= settings.RATE_LIMIT_FAILURES:
            wait = max(wait, state["until"] - now)
    return math.ceil(wait / 60) if wait > 0 else 0


def record_failure(action: str, *subjects: str) -> None:
    pause = settings.RATE_LIMIT_PAUSE_MINUTES * 60
    for subject in subjects:
        if not subject:
            continue
        key = _key(action, subject)
        state = cache.get(key) or {"count": 0, "until": 0.0}
        state["count"] += 1
        state["until"] = time.time() + pause
        cache.set(key, state, timeout=pause)


def clear(action: str, *subjects: str) -> None:
    for subject in subjects:
        if subject:
            cache.delete(_key(action, subject))


def pause_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"You have tried too many times. Try again in {minutes} {unit}."
