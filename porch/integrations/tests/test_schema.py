"""The OpenAPI schema: generated from the code, served to a signed request, and the committed
copy (docs/feed-api.openapi.json) kept current."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import Cast
from porch.feed.entities import ENTITIES
from porch.feed.models import FeedBatch
from porch.integrations.api import schema
from porch.integrations.management.commands.feed_api_schema import SCHEMA_FILE, schema_text
from porch.integrations.tests.helpers import Hms, connection


def test_the_committed_schema_is_current() -> None:
    """If this fails, run `manage.py feed_api_schema` and commit docs/feed-api.openapi.json."""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()
    call_command("feed_api_schema", "--check")


def test_the_check_fails_when_the_file_is_behind(tmp_path, monkeypatch) -> None:
    from porch.integrations.management.commands import feed_api_schema

    stale = tmp_path / "feed-api.openapi.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(feed_api_schema, "SCHEMA_FILE", stale)
    with pytest.raises(CommandError, match="not current"):
        call_command("feed_api_schema", "--check")
    call_command("feed_api_schema")
    assert stale.read_text(encoding="utf-8") == schema_text()


def test_the_schema_is_written_for_where_the_api_is_mounted() -> None:
    from django.urls import reverse

    from porch.integrations.api import PREFIX

    assert reverse("feed_api:openapi") == f"{PREFIX}/openapi.json"


def test_a_signed_request_reads_the_same_schema(cast: Cast) -> None:
    hms = Hms(*connection(cast, scopes=[]))  # no scope is needed to read it
    response = hms.get("/api/feed/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(schema_text())


def test_every_operation_is_signed_and_answers_refusals_in_json() -> None:
    operations = [op for path in schema()["paths"].values() for op in path.values()]
    assert {op["operationId"] for op in operations} == {
        "batch_submit",
        "batch",
        "batch_problems",
        "outbox_events",
        "openapi",
    }
    for operation in operations:
        assert operation["security"] == [{"SignedRequest": []}]
        assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def test_the_schema_names_every_entity_and_every_batch_status_the_feed_has() -> None:
    spec = schema()
    entity = spec["paths"]["/api/feed/v1/entities/{entity}/batches"]["post"]["parameters"][0]
    assert entity["schema"]["enum"] == list(ENTITIES)
    assert spec["components"]["schemas"]["BatchOut"]["properties"]["status"]["enum"] == FeedBatch.Status.values
    examples = spec["paths"]["/api/feed/v1/entities/{entity}/batches"]["post"]["requestBody"]["content"]
    assert set(examples["application/json"]["examples"]) == set(ENTITIES)
