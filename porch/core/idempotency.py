"""A double submit creates one record: forms that create carry a unique key."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, models, transaction


def create_once[M: models.Model](mine: models.QuerySet[M], key: uuid.UUID, create: Callable[[], M]) -> M:
    """The record this key already made (looked for in `mine`), or a new one made by
    `create` in a transaction; a twin request racing this one gets the record it made."""
    existing = mine.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        twin = mine.filter(idempotency_key=key).first()
        if twin is None:
            # Another's key (a replayed or forged form), or a conflict of another kind:
            # answer 400, never their record and never a server error.
            raise SuspiciousOperation("A form key that is not this visitor's, or a conflicting record.") from None
        return twin
