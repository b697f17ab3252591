"""The one way in to notices. Not visible: 404, the same as 'does not exist'.
Visible but not allowed (withdrawing a notice you may only read): 403."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from porch.core.actions import Action
from porch.core.actor import Actor
from porch.core.roles import ORGANISATION_WIDE, PATCH_SCOPED, StaffRole
from porch.housing.models import Block, Estate, Patch
from porch.notices.models import Notice, NoticeQuerySet, Place

# Who may read the staff's notice pages: every role that sees residents (with current training).
READERS = ORGANISATION_WIDE | PATCH_SCOPED
# Who may post and withdraw notices: customer services anywhere, housing officers in their patches.
POSTERS = frozenset({StaffRole.CUSTOMER_SERVICES, StaffRole.HOUSING_OFFICER})

# The form names a place as "<kind>:<uuid>".
BLOCK, ESTATE, PATCH = "block", "estate", "patch"


def notices_for_resident(actor: Actor) -> NoticeQuerySet:
    """The current notices for the resident's homes (Notice.visible_to), newest first."""
    if not actor.is_resident:
        return Notice.objects.none()
    return Notice.objects.visible_to(actor).select_related("block__estate", "estate", "patch")


def notices_for_staff(actor: Actor) -> NoticeQuerySet:
    """Every notice for places the staff member may see, current or not, newest first; never
    a test household's (like staff searches): its title carries its marker, a canary's would
    trip the response guard, and withdrawing one would take a canary out of the crawl."""
    if not actor.is_staff:
        return Notice.objects.none()
    visible = Notice.objects.visible_to(actor).exclude(block__properties__is_test=True)
    return visible.select_related("block__estate__patch", "estate__patch", "patch", "posted_by")


def get_notice_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> Notice:
    """A notice the staff member may see (404 otherwise). Withdrawing it (Action.CHANGE) is for
    those who may post to its place: anyone else who can see it gets 403."""
    notice = notices_for_staff(actor).filter(uuid=code).first()
    if notice is None:
        raise Http404
    if action == Action.CHANGE and not may_post_to(actor, notice.place):
        raise PermissionDenied
    return notice


def may_post_to(actor: Actor, place: Place) -> bool:
    """Customer services: anywhere. Housing officers: places in their own patches.
    Both only with current data-protection training. Nobody else."""
    if not actor.reads_personal_data:
        return False
    if actor.has_role(StaffRole.CUSTOMER_SERVICES):
        return True
    if actor.has_role(StaffRole.HOUSING_OFFICER):
        return patch_id_of(place) in actor.patch_ids
    return False


def patch_id_of(place: Place) -> int:
    if isinstance(place, Block):
        return place.estate.patch_id
    if isinstance(place, Estate):
        return place.patch_id
    return place.pk


def patches_to_post_in(actor: Actor) -> list[Patch]:
    """The patches (areas) the actor may post notices in, by name."""
    if not actor.reads_personal_data:
        return []
    if actor.has_role(StaffRole.CUSTOMER_SERVICES):
        return list(Patch.objects.order_by("name"))
    if actor.has_role(StaffRole.HOUSING_OFFICER):
        return list(Patch.objects.filter(id__in=actor.patch_ids).order_by("name"))
    return []


def patch_to_post_in(actor: Actor, code: str | None) -> Patch | None:
    """The area the actor chose (a patch they may post in), or their only one; None: ask them."""
    patches = patches_to_post_in(actor)
    if len(patches) == 1:
        return patches[0]
    return next((patch for patch in patches if str(patch.uuid) == code), None)


def places_to_post_in(actor: Actor, patch: Patch) -> dict[str, Place]:
    """The places in one patch the actor may post to, keyed by the form's value: the whole
    patch, then its estates, then its blocks, each by name."""
    if not may_post_to(actor, patch):
        return {}
    places: dict[str, Place] = {f"{PATCH}:{patch.uuid}": patch}
    for estate in Estate.objects.filter(patch=patch).order_by("name", "id"):
        places[f"{ESTATE}:{estate.uuid}"] = estate
    for block in Block.objects.filter(estate__patch=patch).select_related("estate").order_by("name", "id"):
        places[f"{BLOCK}:{block.uuid}"] = block
    return places
