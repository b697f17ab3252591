"""The threads the tests share, made through the same services the pages use."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile

from conftest import Cast
from porch.accounts.actors import actor_for_user
from porch.core.actor import Actor
from porch.core.uploads import CheckedFile
from porch.messages import services
from porch.messages.models import Message, Thread

PDF = b"%PDF-1.4\n%%EOF\n"


def actor_of(user: Any) -> Actor:
    return actor_for_user(user, verified=True)


def make_thread(
    cast: Cast,
    household: str = "ashton",
    who: str = "alice",
    *,
    private: bool = False,
    with_file: bool = False,
    topic: str = "home",
) -> Thread:
    home = cast[household]
    checked = CheckedFile(ContentFile(PDF, name="upload.pdf"), "application/pdf", len(PDF)) if with_file else None
    new = services.NewThread(
        tenancy=home.tenancy,
        subject="Carer parking",
        topic=topic,
        text="Can my carer park here?",
        private=private,
        attachment=checked,
    )
    return services.thread_start(actor=actor_of(home.users[who]), new=new, key=uuid.uuid4())


def ashton_thread(cast: Cast) -> str:
    """Alice's thread to the housing team, shared with Bob."""
    return str(make_thread(cast).uuid)


def ashton_file(cast: Cast) -> str:
    """The message with a file on Alice's shared thread."""
    thread = make_thread(cast, with_file=True)
    return str(Message.objects.get(thread=thread).uuid)
