"""The import folder's command: files in order, and side by side in lanes on PostgreSQL."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from porch.feed.management.commands import feed_import
from porch.feed.models import FeedBatch
from porch.housing.models import Membership, Person, Property
from porch.money.models import AccountTransaction

SAMPLE = Path(settings.BASE_DIR) / "docs" / "feed-sample"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="lanes need PostgreSQL; SQLite's refusal is below")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_two_lanes_every_file_loads_after_those_it_is_sent_after(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "in")
    out = StringIO()
    call_command("feed_import", tmp_path / "in", "--apply", "--lanes", "2", stdout=out)
    assert set(FeedBatch.objects.values_list("status", flat=True)) == {FeedBatch.Status.APPLIED}
    # Had memberships or transactions run before what they are sent after, rows would be refused.
    assert sum(FeedBatch.objects.values_list("refused", flat=True)) == 0
    assert Property.objects.count() == 20 and Person.objects.exists() and Membership.objects.exists()
    lines = (SAMPLE / "rent_transactions.csv").read_text(encoding="utf-8").count("\n") - 1
    assert AccountTransaction.objects.count() == lines
    assert len(out.getvalue().splitlines()) == FeedBatch.objects.count() == 8


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's refusal; PostgreSQL loads in lanes above")
@pytest.mark.django_db
def test_on_sqlite_lanes_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--lanes needs PostgreSQL"):
        call_command("feed_import", tmp_path, "--apply", "--lanes", "2")
    assert not FeedBatch.objects.exists()


def _load_but_fail_the_homes(path: Path, *, apply: bool) -> feed_import.Said:
    """A lane's work that fails on the properties file (the others load as usual)."""
    if path.name.startswith("properties"):
        raise RuntimeError("the disk went away")
    return REAL_LOAD(path, apply=apply)


REAL_LOAD = feed_import.load


@pytest.mark.skipif(connection.vendor != "postgresql", reason="lanes need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_failing_in_a_lane_stops_what_waits_on_it_and_the_rest_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SAMPLE, tmp_path / "in")
    monkeypatch.setattr(feed_import, "load", _load_but_fail_the_homes)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as stopped:
        call_command("feed_import", tmp_path / "in", "--apply", "--lanes", "2", stdout=out, stderr=err)
    # The people and their contacts wait on no home: loaded, reported and moved to done.
    assert {path.name for path in (tmp_path / "in" / "done").iterdir()} == {"people.csv", "contacts.csv"}
    assert "people.csv: Applied" in out.getvalue() and "properties.csv: stopped by an error" in err.getvalue()
    for waiting in ("properties.csv", "tenancies.csv", "memberships.csv", "rent_transactions.csv"):
        assert waiting in str(stopped.value) and (tmp_path / "in" / waiting).exists()
