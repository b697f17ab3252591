"""The complaints and complaints handlers the tests share, made through the same services the
pages use. The cast has no complaints handler: `handler` adds one (organisation-wide)."""

from __future__ import annotations

import uuid
from typing import Any

from conftest import Cast, make_staff
from porch.accounts.actors import actor_for_user
from porch.complaints import services
from porch.complaints.models import Complaint
from porch.core.actor import Actor
from porch.core.roles import StaffRole


def handler(cast: Cast, key: str = "complaints") -> Any:
    if key not in cast.staff:
        cast.staff[key] = make_staff(f"{key}@staff.example.org", [StaffRole.COMPLAINTS_HANDLER], [])
    return cast.staff[key]


def actor_of(user: Any) -> Actor:
    return actor_for_user(user, verified=True)


def make_complaint(cast: Cast, household: str = "ashton", who: str = "alice", about: str = "No heating.") -> Complaint:
    home = cast[household]
    new = services.NewComplaint(tenancy=home.tenancy, about=about, wanted="Fix it.")
    return services.complaint_make(actor=actor_of(home.users[who]), new=new, key=uuid.uuid4())


def with_handler(cast: Cast) -> str:
    """Pages with no id: add the handler, fill nothing."""
    handler(cast)
    return ""


def ashton_complaint(cast: Cast) -> str:
    """Alice's complaint at stage 1, with the handler added."""
    handler(cast)
    return str(make_complaint(cast).uuid)
