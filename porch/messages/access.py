"""The one way in to messages. Not visible: 404, the same as "does not exist". Visible but not
this action (the DPO, who reads threads, trying to reply; a view-as session): 403."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from porch.accounts.actors import trained_after
from porch.accounts.models import User
from porch.core.actions import Action
from porch.core.actor import Actor
from porch.core.roles import PATCH_SCOPED
from porch.housing.models import Membership, Tenancy
from porch.messages.models import Message, Thread, ThreadQuerySet
from porch.messages.teams import TEAM_ROLE, WORKERS


def threads_for_resident(actor: Actor) -> ThreadQuerySet:
    if not actor.is_resident:
        return Thread.objects.none()
    return Thread.objects.visible_to(actor).select_related("tenancy__property")


def threads_for_staff(actor: Actor) -> ThreadQuerySet:
    """Every thread the staff member may see; never a test household's (like staff searches)."""
    if not actor.is_staff:
        return Thread.objects.none()
    return (
        Thread.objects.visible_to(actor)
        .filter(is_test=False)
        .select_related("tenancy__property__block__estate", "assigned_to", "private_to")
    )


def get_thread_for(actor: Actor, code: UUID | str, *, action: Action = Action.VIEW) -> Thread:
    found = threads_for_resident(actor) if actor.is_resident else threads_for_staff(actor)
    thread = found.filter(uuid=code).first()
    if thread is None:
        raise Http404
    if action != Action.VIEW and not may_write(actor, thread):
        raise PermissionDenied
    return thread


def may_write(actor: Actor, thread: Thread) -> bool:
    """Residents who see the thread reply to it; staff of a team who see it reply and take it."""
    if actor.is_viewing_as:
        return False
    if actor.is_resident:
        return thread.tenancy_id in actor.tenancy_ids
    return actor.reads_personal_data and bool(actor.roles & WORKERS)


def team_members(thread: Thread) -> list[User]:
    """Whom a thread may be given to: active staff who work its team's inbox, with current
    data-protection training, and (the housing team) whose patches hold the home. The same
    people the access rule lets see it, without break glass, which is not a way to be given work."""
    members = User.objects.filter(
        is_active=True,
        kind=User.Kind.STAFF,
        role_grants__role=TEAM_ROLE[thread.team],
        training_completed_on__gt=trained_after(),
    )
    if TEAM_ROLE[thread.team] in PATCH_SCOPED:
        members = members.filter(patches=thread.tenancy.property.block.estate.patch_id)
    return list(members.distinct().order_by("username"))


def household_threads(actor: Actor, thread: Thread, *, most: int = 20) -> list[Thread]:
    """The household's other threads, newest first, as far as the actor may see them (any team)."""
    others = threads_for_staff(actor).filter(tenancy_id=thread.tenancy_id).exclude(pk=thread.pk)
    return list(others.order_by("-last_at", "-id")[:most])


def messages_of(thread: Thread) -> QuerySet[Message]:
    return Message.objects.filter(thread=thread).select_related("by", "person").order_by("at", "id")


def get_attachment_for(actor: Actor, code: UUID | str) -> Message:
    """A message with a file, on a thread the actor may see (404 otherwise)."""
    threads = threads_for_resident(actor) if actor.is_resident else threads_for_staff(actor)
    message = (
        Message.objects.filter(uuid=code, thread__in=threads.values("pk"))
        .exclude(attachment="")
        .select_related("thread")
        .first()
    )
    if message is None:
        raise Http404
    return message


def homes_to_write_from(actor: Actor) -> list[Tenancy]:
    """The homes a resident may start a thread about: those they hold an account for now."""
    if not actor.is_resident:
        return []
    return list(Tenancy.objects.filter(pk__in=actor.tenancy_ids).select_related("property").order_by("pk"))


def has_other_account_holders(actor: Actor, tenancy: Tenancy) -> bool:
    """A joint tenancy: the resident chooses whether a new thread is shared or private."""
    holders = Membership.objects.current().account_holders().filter(tenancy=tenancy)
    if actor.person_id is not None:
        holders = holders.exclude(person_id=actor.person_id)
    return holders.exists()


def subjects_of(threads: list[Thread]) -> dict[int, list[int]]:
    """For each thread, the people it is about: a private thread its owner alone, a shared one
    the household now. One query for them all: one audit row each."""
    members: dict[int, list[int]] = {}
    shared = {thread.tenancy_id for thread in threads if thread.private_to_id is None}
    for tenancy_id, person_id in (
        Membership.objects.current().filter(tenancy_id__in=shared).values_list("tenancy_id", "person_id")
    ):
        members.setdefault(tenancy_id, []).append(person_id)
    return {
        thread.pk: [thread.private_to_id] if thread.private_to_id else sorted(members.get(thread.tenancy_id, []))
        for thread in threads
    }
