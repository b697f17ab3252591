from __future__ import annotations

import datetime

from django.utils import timezone

from porch.core import ratelimit
from porch.core.models import AttemptCounter


def test_the_sixth_attempt_is_paused_and_successes_take_their_attempt_back(db) -> None:
    assert [ratelimit.attempt("probe", "alice") for _ in range(5)] == [0] * 5
    assert ratelimit.attempt("probe", "alice") == 15
    ratelimit.succeeded("probe", "bob")  # another key is untouched
    assert ratelimit.attempt("probe", "alice") == 15


def test_a_success_does_not_reset_the_failures_before_it(db) -> None:
    for _ in range(4):
        ratelimit.attempt("probe", "alice")
    ratelimit.attempt("probe", "alice")
    ratelimit.succeeded("probe", "alice")
    assert ratelimit.attempt("probe", "alice") == 0  # the fifth real failure
    assert ratelimit.attempt("probe", "alice") == 15


def test_the_pause_ends_when_the_window_does_not_when_the_last_try_was(db) -> None:
    for _ in range(6):
        ratelimit.attempt("probe", "alice")
    AttemptCounter.objects.update(window_ends=timezone.now() - datetime.timedelta(seconds=1))
    assert ratelimit.attempt("probe", "alice") == 0
    assert AttemptCounter.objects.get().count == 1


def test_subjects_are_counted_separately(db) -> None:
    for _ in range(6):
        ratelimit.attempt("probe", "alice", "192.0.2.1")
    assert ratelimit.attempt("probe", "bob") == 0
    assert ratelimit.attempt("probe", "bob", "192.0.2.1") == 15
