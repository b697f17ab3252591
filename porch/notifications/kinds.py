"""What a notification is about, the ways it goes out, and the audit log's kinds for them,
declared here so services can use them and module.py can register them without importing each other."""

from __future__ import annotations

from django.db import models

from porch.core.modules import AuditKind, Category, Reached, ResidentRule


class Kind(models.TextChoices):
    """What a notification is about. Residents choose per kind, except for REQUIRED ones."""

    REPAIRS = "repairs", "Repairs"
    RENT = "rent", "Rent and service charges"
    CASES = "cases", "Complaints and reports of anti-social behaviour"
    MESSAGES = "messages", "Messages from us"
    ACCOUNT = "account", "Your account and keeping it safe"


# Always sent, whatever the resident chose: the law or their account's safety needs them to hear.
REQUIRED = frozenset({Kind.ACCOUNT})
CHOOSABLE = tuple(kind for kind in Kind if kind not in REQUIRED)


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


NOTIFICATIONS_DATA = Category(
    "notifications",
    "Notifications",
    "that we told a resident something had happened (a repair updated, a new message), when and how, and "
    "how they chose to be told: never what happened, which they read on the page itself",
)
NOTIFICATION = AuditKind(
    "notification",
    "a notification to a resident",
    NOTIFICATIONS_DATA.key,
    words="your notifications",
    reached=Reached.ALONE,
    residents=ResidentRule.ABOUT_THEM,
)
CONTACT_CHOICES = AuditKind(
    "notification_choices",
    "a resident's choices of how we contact them",
    NOTIFICATIONS_DATA.key,
    words="your choices of how we contact you",
    reached=Reached.ALONE,
    residents=ResidentRule.ABOUT_THEM,
)
