"""The one way in to notifications. A resident sees their own, nobody else's; staff see only
counts and failures of deliveries (no person, no words, no address): the DPO and system
administrators, who watch that messages go out."""

from __future__ import annotations

from django.db.models import QuerySet

from porch.core.actor import Actor
from porch.core.roles import GUARDIANS
from porch.housing.models import Person
from porch.notifications.models import Delivery, Notification, NotificationQuerySet

WATCHERS = GUARDIANS


def notifications_for_resident(actor: Actor) -> NotificationQuerySet:
    """The resident's own notifications, newest first, with their deliveries."""
    return Notification.objects.visible_to(actor).prefetch_related("deliveries")


def person_of(actor: Actor) -> Person | None:
    """The resident themselves, whose choices the choices page shows; None for anyone else."""
    if not actor.is_resident or actor.person_id is None:
        return None
    return Person.objects.filter(pk=actor.person_id).first()


def deliveries_for_staff(actor: Actor) -> QuerySet[Delivery]:
    """Every delivery, to those who watch them; nothing for anyone else. The staff page reads
    counts and failures from it, never a notification's words or its person."""
    if not actor.has_role(*WATCHERS):
        return Delivery.objects.none()
    return Delivery.objects.all()
