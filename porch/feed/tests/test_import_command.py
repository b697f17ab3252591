"""The import folder's command: files in order, and side by side in lanes on PostgreSQL."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from porch.feed.models import FeedBatch
from porch.housing.models import Membership, Person, Property
from porch.money.models import AccountTransaction

SAMPLE = Path(settings.BASE_DIR) / "docs" / "feed-sample"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="lanes need PostgreSQL; SQLite's refusal is below")
@pytest.mark.django_db(transaction=True)
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
    assert len(out.getvalue().splitlines()) == FeedBatch.objects.count() == 7


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's refusal; PostgreSQL loads in lanes above")
@pytest.mark.django_db
def test_on_sqlite_lanes_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--lanes needs PostgreSQL"):
        call_command("feed_import", tmp_path, "--apply", "--lanes", "2")
    assert not FeedBatch.objects.exists()
