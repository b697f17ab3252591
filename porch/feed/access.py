"""The one way in to the feed's batches and held people.

Only the guardians (the Data Protection Officer and system administrators) run the feed, and
only with current data-protection training: a batch's file and pages carry the housing
record. A held person is someone's name and date of birth beside another's: only the DPO
decides about them (system administrators see no residents' data, docs/access-model.md). Anyone else sees none of it
(the route's audience refuses them first, with 403). Not found, or not theirs to see: 404."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from porch.core.actor import Actor
from porch.core.roles import GUARDIANS, StaffRole
from porch.feed.models import FeedBatch, FeedProblem, HeldPerson
from porch.housing.models import Membership


def may_run_feed(actor: Actor) -> bool:
    return actor.has_role(*GUARDIANS) and actor.reads_personal_data


def may_decide_held(actor: Actor) -> bool:
    return actor.has_role(StaffRole.DPO) and actor.reads_personal_data


def batches_for_staff(actor: Actor) -> QuerySet[FeedBatch]:
    """Every batch, newest first (FeedBatch's ordering, on its index), for those who run the feed."""
    if not may_run_feed(actor):
        return FeedBatch.objects.none()
    return FeedBatch.objects.select_related("received_by", "applied_by")


def get_batch_for(actor: Actor, code: UUID | str) -> FeedBatch:
    batch = batches_for_staff(actor).filter(uuid=code).first()
    if batch is None:
        raise Http404
    return batch


def problems_of(batch: FeedBatch, stage: str) -> QuerySet[FeedProblem]:
    """A batch's problems from one stage (its preview, or applying it), by line. The batch
    comes from get_batch_for, so whoever asks may already see it."""
    return batch.problems.filter(stage=stage).order_by("line", "id")


def held_waiting(actor: Actor) -> QuerySet[HeldPerson]:
    """The people waiting for a decision, the longest waiting first, with the person each looks like."""
    if not may_decide_held(actor):
        return HeldPerson.objects.none()
    waiting = HeldPerson.objects.filter(decision=HeldPerson.Decision.WAITING)
    return waiting.select_related("looks_like", "batch").order_by("id")


def get_held_for(actor: Actor, code: UUID | str) -> HeldPerson:
    """A held person, decided or not (deciding twice is refused by the service, with a reason)."""
    if not may_decide_held(actor):
        raise Http404
    held = HeldPerson.objects.filter(uuid=code).first()
    if held is None:
        raise Http404
    return held


def current_tenancy_references(person_ids: Iterable[int]) -> dict[int, list[str]]:
    """The references of the tenancies each of these people belongs to now, in one query."""
    found: dict[int, list[str]] = defaultdict(list)
    memberships = Membership.objects.current().filter(person_id__in=set(person_ids))
    for person_id, reference in memberships.order_by("tenancy__reference").values_list(
        "person_id", "tenancy__reference"
    ):
        found[person_id].append(reference)
    return dict(found)
