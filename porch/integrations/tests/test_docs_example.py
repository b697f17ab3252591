"""The Python example in docs/feed-api.md, run as an integrator would run it: over real HTTP
(pytest-django's live server on 127.0.0.1), signing with the standard library only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import Cast
from porch.feed.models import FeedBatch
from porch.integrations.tests.helpers import connection

DOC = Path(__file__).resolve().parents[3] / "docs" / "feed-api.md"


def example_code() -> str:
    """The first Python block of the document: the one an integrator copies."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return blocks[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_documented_example_sends_a_batch_and_reads_it_back(cast: Cast, live_server: Any) -> None:
    added, secret = connection(cast, networks=["127.0.0.1/32"])
    example: dict[str, Any] = {}
    exec(compile(example_code(), str(DOC), "exec"), example)  # noqa: S102  (our own document)
    example.update(PORTAL=live_server.url, CONNECTION_ID=str(added.uuid), SECRET=secret)

    rows = [{"person_ref": "P-0004711", "first_name": "Alice", "last_name": "Ashworth", "date_of_birth": "1980-02-29"}]
    status, batch = example["send_batch"]("people", "2026-11-30T02:00:00Z-people", rows)
    assert status == 202, batch
    assert FeedBatch.objects.get(uuid=batch["id"]).sent_by_system == added.name

    status, read = example["signed_request"]("GET", f"/api/feed/v1/batches/{batch['id']}")
    assert (status, read["id"]) == (200, batch["id"])
    status, again = example["send_batch"]("people", "2026-11-30T02:00:00Z-people", rows)
    assert (status, again["id"]) == (200, batch["id"])

    example["SECRET"] = "porch_feed_" + "x" * 43
    status, refused = example["signed_request"]("GET", "/api/feed/v1/openapi.json")
    assert status == 401 and "signature does not match" in refused["error"]
