"""The published layout is the one the code reads, and the published sample set loads."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from porch.feed.docs import feed_doc
from porch.feed.models import FeedBatch
from porch.housing.models import Membership, Person, Property, Tenancy
from porch.money.models import InvoiceLine, RentAccount, ServiceChargeInvoice

DOCS = Path(settings.BASE_DIR) / "docs"


def test_docs_feed_md_is_current() -> None:
    assert (DOCS / "feed.md").read_text(encoding="utf-8") == feed_doc(), "run manage.py feed_docs"


@pytest.mark.django_db
def test_the_sample_set_loads_into_an_empty_record_and_again_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    shutil.copytree(DOCS / "feed-sample", folder)
    call_command("feed_import", folder, "--apply", stdout=StringIO())
    assert not any(folder.glob("*.csv")) and len(list((folder / "done").glob("*.csv"))) == 8
    assert set(FeedBatch.objects.values_list("status", flat=True)) == {FeedBatch.Status.APPLIED}
    assert sum(FeedBatch.objects.values_list("refused", flat=True)) == 0
    assert Property.objects.count() == 20 and Tenancy.objects.exists() and Membership.objects.exists()
    assert RentAccount.objects.count() == Tenancy.objects.count()
    account = RentAccount.objects.order_by("id").first()
    assert account is not None
    # The demo's history sums to its balance; the feed keeps both to the penny.
    assert sum(account.transactions.values_list("amount_pence", flat=True)) == account.balance_pence
    # The demo homeowner's two invoices, each line's share of the block's cost adding up.
    assert ServiceChargeInvoice.objects.count() == 2 and InvoiceLine.objects.count() == 10
    people = Person.objects.count()
    # Sent again under other names (a new night's files): nothing changes.
    for path in (folder / "done").glob("*.csv"):
        path.rename(folder / f"{path.stem}-again.csv")
    call_command("feed_import", folder, "--apply", stdout=StringIO())
    again = FeedBatch.objects.filter(filename__contains="-again")
    assert again.count() == 8
    assert {(b.created, b.changed, b.refused) for b in again} == {(0, 0, 0)}
    assert Person.objects.count() == people
