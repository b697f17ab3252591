"""A message's file, sent so no browser runs it: its own type (checked by content, images
re-encoded), no sniffing, and a policy that forbids everything if it were ever opened as a page."""

from __future__ import annotations

from django.http import FileResponse

from porch.core.files import sealed_file_response
from porch.messages.models import Message


def attachment_response(message: Message) -> FileResponse:
    extension = message.attachment_type.rsplit("/", 1)[-1]
    return sealed_file_response(
        message.attachment,
        filename=f"message-file.{extension}",
        content_type=message.attachment_type,
        attachment=extension == "pdf",
    )
