"""A batch that would end more than the set share of current tenancies, or move more than the
set number of people, waits for a second person; below the limits it is applied by one."""

from __future__ import annotations

import pytest

from conftest import Cast
from porch.accounts.actors import actor_for_user
from porch.feed import pipeline
from porch.feed.models import FeedBatch
from porch.feed.services import CannotApply, batch_apply, batch_withdraw
from porch.feed.tests.files import ending_every_tenancy, previewed, tenancies
from porch.housing.models import Property, Tenancy
from porch.rollout.approvals import ApprovalRefused, change_decide
from porch.rollout.models import ChangeProposal

pytestmark = pytest.mark.django_db


def test_a_batch_ending_many_tenancies_waits_for_a_second_person(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    batch = previewed("tenancies", ending_every_tenancy())
    assert batch.status == FeedBatch.Status.WAITING_APPROVAL
    assert batch.preview["ends_tenancy"] == 4 and batch.preview["current_tenancies"] == 4
    admin, dpo = (actor_for_user(cast.staff[who], verified=True) for who in ("admin", "dpo"))
    message = batch_apply(actor=admin, batch=batch)
    assert "second person" in message
    proposal = ChangeProposal.objects.get(kind="feed_apply_large_batch")
    with pytest.raises(ApprovalRefused):
        change_decide(actor=admin, proposal=proposal, approve=True)
    assert Tenancy.objects.current().count() == 4  # nothing applied yet
    with django_capture_on_commit_callbacks(execute=False):
        change_decide(actor=dpo, proposal=proposal, approve=True)
    batch.refresh_from_db()
    assert batch.status == FeedBatch.Status.APPLYING and batch.applied_by == cast.staff["dpo"]
    pipeline.apply(batch.pk)
    assert Tenancy.objects.current().count() == 0


def test_a_small_batch_is_applied_by_one_person_and_cannot_be_applied_twice(cast: Cast) -> None:
    home = Property.objects.first()
    assert home is not None
    home.hms_reference = "PR-1"
    home.save(update_fields=["hms_reference"])
    batch = previewed("tenancies", tenancies(("T-NEW", "PR-1", "2026-01-01", "")))
    assert batch.status == FeedBatch.Status.PREVIEWED
    admin = actor_for_user(cast.staff["admin"], verified=True)
    assert "being applied" in batch_apply(actor=admin, batch=batch)
    with pytest.raises(CannotApply):
        batch_apply(actor=admin, batch=batch)  # a double click: already applying
    with pytest.raises(CannotApply):
        batch_withdraw(actor=admin, batch=batch)
    pipeline.apply(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.created) == (FeedBatch.Status.APPLIED, 1)


def test_a_connections_batch_marked_to_apply_goes_in_once_previewed_unless_large(cast: Cast, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    from porch.feed.tasks import feed_check
    from porch.feed.tests.files import receive

    large_file = ending_every_tenancy()  # gives the homes PR-1.. their references
    small = receive("tenancies", tenancies(("T-NEW", "PR-1", "2026-01-01", "")))
    large = receive("tenancies", large_file, name="large.csv")
    FeedBatch.objects.update(apply_when_previewed=True)
    for batch in (small, large):
        feed_check.enqueue(batch.pk)
        batch.refresh_from_db()
    assert (small.status, small.created) == (FeedBatch.Status.APPLIED, 1)
    assert large.status == FeedBatch.Status.WAITING_APPROVAL


def test_a_withdrawn_batch_takes_its_request_for_approval_with_it_and_the_file_can_be_sent_again(cast: Cast) -> None:
    content = ending_every_tenancy()
    batch = previewed("tenancies", content)
    admin = actor_for_user(cast.staff["admin"], verified=True)
    batch_apply(actor=admin, batch=batch)
    proposal = ChangeProposal.objects.get(kind="feed_apply_large_batch")
    batch_withdraw(actor=admin, batch=batch)
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.REJECTED
    again = previewed("tenancies", content)
    assert again.pk != batch.pk and again.status == FeedBatch.Status.WAITING_APPROVAL
