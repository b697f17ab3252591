"""The deploy check (`manage.py check --deploy`, `make deploy-check`): production must not send
text messages through a development backend. The console backend writes each message, sign-up
codes among them, to the log and sends nothing; the outbox backend keeps them in memory."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

DEVELOPMENT_BACKENDS = ("porch.core.sms.ConsoleSmsBackend", "porch.core.sms.OutboxSmsBackend")


@register(Tags.security, deploy=True)
def text_backend_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or settings.SMS_BACKEND not in DEVELOPMENT_BACKENDS:
        return []
    return [
        Warning(
            f"SMS_BACKEND is {settings.SMS_BACKEND}: text messages, sign-up codes among them, would be "
            "written to the log or kept in memory, never sent.",
            hint="Send them through GOV.UK Notify: SMS_BACKEND=porch.notifications.govuk_notify.NotifySmsBackend "
            "with NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID (README, Notifications).",
            id="notifications.W001",
        )
    ]
