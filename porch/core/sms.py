"""Text messages go through a small backend, chosen by SMS_BACKEND.

The console backend logs messages (development). The outbox backend keeps
them in memory for tests. A provider backend is added when a landlord picks one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class ConsoleSmsBackend:
    def send(self, message: TextMessage) -> None:
        logger.info("Text message to %s: %s", message.to, message.body)


class OutboxSmsBackend:
    outbox: ClassVar[list[TextMessage]] = []

    def send(self, message: TextMessage) -> None:
        self.outbox.append(message)


def send_text(to: str, body: str) -> None:
    backend = import_string(settings.SMS_BACKEND)()
    backend.send(TextMessage(to=to, body=body))
