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


def test_an_address_is_paused_only_after_its_own_higher_limit(db, settings) -> None:
    limit = settings.RATE_LIMIT_ADDRESS_FAILURES
    assert limit > settings.RATE_LIMIT_FAILURES
    assert [ratelimit.attempt("probe", address="192.0.2.1") for _ in range(limit)] == [0] * limit
    assert ratelimit.attempt("probe", address="192.0.2.1") == 15
    assert ratelimit.attempt("probe", address="192.0.2.2") == 0


def test_an_address_and_a_subject_of_the_same_spelling_are_counted_apart(db) -> None:
    for _ in range(6):
        ratelimit.attempt("probe", "192.0.2.1")
    assert ratelimit.attempt("probe", address="192.0.2.1") == 0


def test_ipv6_addresses_count_per_64_block(db, settings) -> None:
    settings.RATE_LIMIT_ADDRESS_FAILURES = 2
    ratelimit.attempt("probe", address="2001:db8:1:2::1")
    ratelimit.attempt("probe", address="2001:db8:1:2:ffff:ffff:ffff:fffe")
    assert ratelimit.attempt("probe", address="2001:db8:1:2:abcd::9") == 15
    assert ratelimit.attempt("probe", address="2001:db8:1:3::1") == 0
    ratelimit.attempt("probe", address="::ffff:192.0.2.7")
    ratelimit.attempt("probe", address="192.0.2.7")
    assert ratelimit.attempt("probe", address="192.0.2.7") == 15


def test_a_success_takes_back_the_address_attempt_too(db, settings) -> None:
    settings.RATE_LIMIT_ADDRESS_FAILURES = 2
    for _ in range(3):
        ratelimit.attempt("probe", "alice", address="192.0.2.1")
        ratelimit.succeeded("probe", "alice", address="192.0.2.1")
    assert ratelimit.attempt("probe", "bob", address="192.0.2.1") == 0


def test_the_wait_given_is_what_is_left_of_the_pause(db) -> None:
    for _ in range(6):
        ratelimit.attempt("probe", "alice")
    AttemptCounter.objects.update(window_ends=timezone.now() + datetime.timedelta(minutes=3, seconds=20))
    assert ratelimit.attempt("probe", "alice") == 4
    AttemptCounter.objects.update(window_ends=timezone.now() + datetime.timedelta(seconds=30))
    assert ratelimit.attempt("probe", "alice") == 1
