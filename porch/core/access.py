"""The one way in to the test outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from porch.core.actor import Actor
from porch.core.models import TestOutboxMessage
from porch.core.roles import StaffRole


def test_outbox_for(actor: Actor) -> QuerySet[TestOutboxMessage]:
    if not actor.has_role(StaffRole.TEST_RESIDENTS):
        return TestOutboxMessage.objects.none()
    return TestOutboxMessage.objects.all()
