"""Notifications: one service every module tells residents through (email, text message and
the resident's list), with their choices of how (ADR 0029)."""

from __future__ import annotations

from porch.core.modules import Link, Module, Owner, PersonalModel, Switch, register
from porch.notifications.kinds import CONTACT_CHOICES, NOTIFICATION, NOTIFICATIONS_DATA
from porch.notifications.synthetic import synthetic_notifications_create

NOTIFICATIONS = Switch("notifications", "Notifications")

register(
    Module(
        app="notifications",
        name="Notifications",
        switch=NOTIFICATIONS,
        personal=(
            PersonalModel("notifications.Notification", Owner.PERSON, "person"),
            PersonalModel("notifications.Preference", Owner.PERSON, "person"),
        ),
        categories=(NOTIFICATIONS_DATA,),
        audit_kinds=(NOTIFICATION, CONTACT_CHOICES),
        pages={
            "notifications:list": "Residents: Notifications",
            "notifications:choices": "Residents: How we tell you about things",
            "notifications:staff_deliveries": "Staff: Notifications sent to residents",
        },
        resident_links=(Link("notifications:list", "Notifications"),),
        staff_links=(
            Link(
                "notifications:staff_deliveries",
                "Notifications sent to residents",
                "how many emails and text messages went, and which failed",
            ),
        ),
        synthetic=synthetic_notifications_create,
    )
)
