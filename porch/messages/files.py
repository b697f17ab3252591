"""A message's file, sent so no browser runs it: its own type (checked by content, images
re-encoded), no sniffing, and a policy that forbids everything if it were ever opened as a page."""

from __future__ import annotations

from django.http import FileResponse

from porch.messages.models import Message


def attachment_response(message: Message) -> FileResponse:
    extension = message.attachment_type.rsplit("/", 1)[-1]
    response = FileResponse(
        message.attachment.open("rb"),
        as_attachment=extension == "pdf",
        filename=f"message-file.{extension}",
        content_type=message.attachment_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
