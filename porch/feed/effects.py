"""What follows at once from a change to the housing record: the audit rows, sessions ended
for people who lost a home, and people told when the contact details they sign in with change.
Each runs inside the transaction of the rows it follows from, so a preview (rolled back)
does none of them, and a message is sent only once its change is committed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from porch.accounts.models import User
from porch.audit.services import Seen, record_many
from porch.core import notify
from porch.core.actor import Actor

# The audit log's actor for the feed: the staff member who applied the batch, if any, acting
# as the housing record (its role words: porch.core.roles.PLAIN_ROLE["feed"]).
FEED = "feed"


def feed_actor(user_id: int | None) -> Actor:
    return Actor(kind=FEED, user_id=user_id)


def audit(actor: Actor, action: str, object_type: str, seen: list[Seen]) -> None:
    if seen:
        record_many(actor=actor, action=action, object_type=object_type, seen=seen)


def sessions_end(person_ids: Iterable[int]) -> None:
    """Everyone of these with an account is signed out everywhere at their next request. What
    they may see is worked out afresh from the record when they sign in again."""
    ids = set(person_ids)
    if ids:
        User.objects.filter(person_id__in=ids).update(session_stamp=uuid.uuid4())


def contact_change_tell(*, old_email: str, old_mobile: str, changed: Iterable[str], is_test: bool) -> None:
    """Tell the old address that the email or mobile this account signs in with has changed,
    so a change nobody expected is noticed. No new value and no name in the message."""
    what = " and ".join(sorted({"email address" if name == "email" else "mobile number" for name in changed}))
    link = notify.portal_link(reverse("portal:my_details"))
    body = (
        f"The {what} on your {settings.LANDLORD_NAME} account has been changed in our housing records. "
        f"If you did not ask for this, call us on {settings.LANDLORD_PHONE}. Your details: {link}"
    )
    if old_email:
        notify.email_later(
            to=old_email, subject=f"{settings.LANDLORD_NAME}: your {what} changed", body=body, is_test=is_test
        )
    if old_mobile:
        notify.text_later(to=old_mobile, body=body, is_test=is_test)
