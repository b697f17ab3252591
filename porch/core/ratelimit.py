"""Attempt counting with a time-limited pause, in the shared database.

Each guarded action counts an attempt per key (an account, a client address)
*before* doing the work, so a burst of parallel requests cannot slip past the
check; a success takes its attempt back. After RATE_LIMIT_FAILURES attempts
without success, the key is paused until RATE_LIMIT_PAUSE_MINUTES after its
first attempt. There is no permanent lockout: the pause ends by itself.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from porch.core.models import AttemptCounter


def _key(action: str, subject: str) -> str:
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:40]
    return f"{action}:{digest}"


def _count(key: str) -> int:
    """Add one attempt to the key's current window (starting a new one if it has ended)."""
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.RATE_LIMIT_PAUSE_MINUTES)
    for _ in range(3):
        with transaction.atomic():
            if AttemptCounter.objects.filter(key=key, window_ends__gt=now).update(count=F("count") + 1):
                return AttemptCounter.objects.get(key=key).count
            AttemptCounter.objects.filter(key=key, window_ends__lte=now).delete()
            try:
                with transaction.atomic():
                    AttemptCounter.objects.create(key=key, count=1, window_ends=now + window)
                return 1
            except IntegrityError:
                continue  # another request started the window first: count in it
    return settings.RATE_LIMIT_FAILURES + 1  # fail closed


def attempt(action: str, *subjects: str) -> int:
    """Count an attempt; return the minutes to wait if any subject is paused, else 0."""
    counts = [_count(_key(action, subject)) for subject in subjects if subject]
    paused = any(count > settings.RATE_LIMIT_FAILURES for count in counts)
    return settings.RATE_LIMIT_PAUSE_MINUTES if paused else 0


def succeeded(action: str, *subjects: str) -> None:
    """Take back the attempt that worked, so only failures add up."""
    keys = [_key(action, subject) for subject in subjects if subject]
    AttemptCounter.objects.filter(key__in=keys, count__gt=0).update(count=F("count") - 1)


def pause_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"You have tried too many times. Try again in {minutes} {unit}."
