"""A message thread for a synthetic test household (test residents, the isolation check,
canaries): shared with the household, a message from them with a file and a reply from the
housing team, each carrying the household's marker. Written directly (no audit, no
notification: nobody wrote it), and kept out of the teams' inboxes (is_test)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from porch.housing.models import Tenancy
from porch.messages.models import Message, Thread
from porch.messages.teams import Team, Topic


def synthetic_threads_create(tenancy: Tenancy, marker: str) -> None:
    thread = Thread.objects.create(
        tenancy=tenancy, subject=f"Test thread {marker}", topic=Topic.HOME, team=Team.HOUSING, is_test=True
    )
    first = Message(
        thread=thread,
        tenancy=tenancy,
        kind=Message.Kind.RESIDENT,
        text=f"Test message. {marker}",
        published=True,
        attachment_type="application/pdf",
    )
    # Not a real PDF: the crawl reads the bytes for the marker, and nobody opens it.
    data = f"%PDF-1.4\n% Test file for a test household only. {marker}\n%%EOF\n".encode()
    first.attachment_size = len(data)
    first.attachment.save("upload.pdf", ContentFile(data), save=False)
    first.save()
    Message.objects.create(
        thread=thread, tenancy=tenancy, kind=Message.Kind.STAFF, text=f"Test reply. {marker}", published=True
    )


def thread_codes(tenancy: Tenancy) -> list[str]:
    """The household's threads and messages, for the isolation check and the canary crawl."""
    threads = [str(code) for code in Thread.objects.filter(tenancy=tenancy).values_list("uuid", flat=True)]
    messages = [str(code) for code in Message.objects.filter(tenancy=tenancy).values_list("uuid", flat=True)]
    return threads + messages
