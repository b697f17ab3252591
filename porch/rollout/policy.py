"""Access settings kept in the database, so that widening them needs a second person."""

from __future__ import annotations

from django.conf import settings

from porch.rollout.models import AccessPolicy


def training_valid_days() -> int:
    policy = AccessPolicy.objects.first()
    return policy.training_valid_days if policy else settings.TRAINING_VALID_DAYS
