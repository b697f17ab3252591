"""A development email backend that prints each email as a person would read it.

Django's console backend prints the raw message, quoted-printable encoded: long
lines are wrapped with "=" and "=3D" stands for "=", so a link copied from the
console is broken. This prints the decoded plain-text body instead.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import Any, TextIO

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

RULE = "-" * 79


class ConsoleEmailBackend(BaseEmailBackend):
    def __init__(self, *args: Any, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream
        self._lock = threading.Lock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        stream = self.stream or sys.stdout  # looked up now, so a redirected stdout is honoured
        with self._lock:
            for message in email_messages:
                message.message()  # the same header checks as a real send
                stream.write(readable(message))
                stream.flush()
        return len(email_messages)


def readable(message: EmailMessage) -> str:
    lines = [
        "Email (development: printed here, not sent)",
        f"From: {message.from_email}",
        f"To: {', '.join(message.to)}",
    ]
    if message.cc:
        lines.append(f"Cc: {', '.join(message.cc)}")
    if message.bcc:
        lines.append(f"Bcc: {', '.join(message.bcc)}")
    if message.reply_to:
        lines.append(f"Reply-To: {', '.join(message.reply_to)}")
    lines += [f"Subject: {message.subject}", "", str(message.body).rstrip("\n"), ""]
    for attachment in message.attachments:
        filename = getattr(attachment, "filename", None) or "(no name)"
        mimetype = getattr(attachment, "mimetype", None) or "unknown type"
        lines.append(f"Attachment: {filename} ({mimetype})")
    for alternative in getattr(message, "alternatives", []):
        lines.append(f"Also sent as {alternative[1]} (not shown)")
    return "\n".join([*lines, RULE, ""])
