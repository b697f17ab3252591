"""The housing system API, version 1 (/api/feed/v1/): send a batch of one entity, read a
batch's status and its problems, and read this API's OpenAPI schema.

Every request is signed by a housing system connection (porch.integrations.gate); the
schema below is generated from these declarations (django-ninja, ADR 0021) and written to
docs/feed-api.openapi.json by `manage.py feed_api_schema`."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any, Literal, cast
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, NinjaAPI, P, PathEx, QueryEx, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.security.base import AuthBase

from porch.core.types import PorchRequest
from porch.feed.entities import ENTITIES
from porch.feed.models import FeedBatch
from porch.integrations import access, gate, services, signing
from porch.integrations.models import Connection, ConnectionBatch
from porch.integrations.scopes import OUTBOX
from porch.outbox import pull

VERSION = "1"
PREFIX = "/api/feed/v1"  # where config/urls.py mounts it: the schema's paths start here
PROBLEMS_PAGE = 500

BatchStatus = Literal[
    "received", "checking", "refused", "previewed", "waiting_approval", "applying", "applied", "failed", "withdrawn"
]
Stage = Literal["preview", "apply"]

if TYPE_CHECKING:
    EntityName = str
else:  # one of the feed's entities, checked and listed in the schema: made from porch.feed.entities
    EntityName = Literal[tuple(ENTITIES)]


class SignedRequest(AuthBase):
    """Admits a request signed by an active connection; the schema's security scheme."""

    openapi_type = "apiKey"
    openapi_in = "header"
    openapi_name = signing.SIGNATURE
    openapi_description = (
        "Every request carries four headers: Porch-Connection (the connection's id), Porch-Timestamp "
        "(Unix time in seconds, within 5 minutes of ours), Porch-Nonce (16 to 64 letters, digits, - or _, "
        "new for every request) and Porch-Signature: the lower-case hex HMAC-SHA256, keyed with the "
        "connection's secret, of these five lines joined by a line feed: the method, the path with its "
        "query, the timestamp, the nonce, and the lower-case hex SHA-256 of the body (of nothing for a GET). "
        "See docs/feed-api.md."
    )

    def __call__(self, request: HttpRequest) -> Connection:
        return gate.admit(cast(PorchRequest, request))  # RequestContextMiddleware gave it its address


class ApiRequest(PorchRequest):
    auth: Connection  # set by SignedRequest once the request is admitted
    feed_api_refusal: str  # why it was refused, for the request log (porch.integrations.api_urls)


api = NinjaAPI(
    title="Porch housing system API",
    version=VERSION,
    description=(
        "For the landlord's housing management system: send the housing record in batches of one "
        "entity, and follow each batch through its check, preview and applying. Every request is signed "
        'with the connection\'s secret. Errors are JSON: {"error": "why, in plain words"}.'
    ),
    urls_namespace="feed_api",
    auth=SignedRequest(),
    docs_url=None,  # no browsable page: its scripts would come from elsewhere, against our CSP
    openapi_url=None,  # served below, signed like every other endpoint
)


# --- What goes in and comes out ----------------------------------------------------------


class Error(Schema):
    error: str = Field(description="Why, in plain words.")


class Where(Schema):
    where: str = Field(description="The part of the request, like body.rows.3.first_name.")
    why: str


class Invalid(Schema):
    error: str
    problems: list[Where]


class BatchIn(Schema):
    batch_key: str = Field(
        min_length=1,
        max_length=50,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="Your own name for this batch, unique for the connection: sending the same rows again "
        "with the same key (a retry) returns the batch it made; new rows need a new key.",
        examples=["2026-11-30T02:00:00Z-people"],
    )
    rows: list[dict[str, str | None]] = Field(
        min_length=1,
        description="The rows, one object each, with the entity's columns as keys and text (or null) as "
        "values, exactly as in a CSV file of the entity (the columns are listed in the endpoint's description).",
    )


class Counts(Schema):
    read: int
    created: int
    changed: int
    unchanged: int
    refused: int
    held: int = Field(description="New people held for staff because they look like someone already here.")


class Preview(Schema):
    """What applying would do, worked out by applying every row and rolling it back."""

    read: int
    created: int
    changed: int
    unchanged: int
    refused: int
    held: int
    ends_tenancy: int = Field(description="Current tenancies it would end.")
    moves_person: int = Field(description="People it would move from one tenancy to another.")


class BatchOut(Schema):
    id: UUID
    batch_key: str
    entity: str
    status: BatchStatus
    status_text: str = Field(description="The status in plain words.")
    reason: str = Field(description="Why the whole file was refused, or why applying stopped; otherwise empty.")
    rows: int = Field(description="Data rows in the batch, once checked.")
    apply_when_previewed: bool = Field(
        description="Applied as soon as it is previewed, unless it is large enough to wait for a second person."
    )
    received_at: datetime.datetime
    previewed_at: datetime.datetime | None
    applied_at: datetime.datetime | None
    preview: Preview | None = Field(description="Once previewed.")
    counts: Counts = Field(description="What applying has done so far.")
    problems: str = Field(description="Where to read the rows that were (or would be) refused, and why.")


class Problem(Schema):
    line: int = Field(description="The row's line in the batch: the first row is line 1.")
    field: str = Field(description="The column at fault, if one is.")
    why: str


class ProblemsOut(Schema):
    batch: UUID
    stage: Stage
    problems: list[Problem]
    next_after_line: int | None = Field(description="Ask again with after_line set to this for more; null at the end.")


OUTBOX_PAGE = 500
REFUSALS: dict[int, type[Schema]] = {
    401: Error,
    403: Error,
    404: Error,
    413: Error,
    429: Error,
    503: Error,
}


# --- Endpoints ---------------------------------------------------------------------------


def _entity_examples() -> dict[str, Any]:
    """An example body for each entity, from the columns the feed reads (porch.feed.columns)."""
    return {
        name: {
            "summary": entity.layout.title,
            "value": {
                "batch_key": f"2026-11-30T02:00:00Z-{name}",
                "rows": [{column.name: column.example or None for column in entity.layout.columns}],
            },
        }
        for name, entity in ENTITIES.items()
    }


def _columns_description() -> str:
    lines = ["The columns of each entity (* required):", ""]
    for name, entity in ENTITIES.items():
        columns = ", ".join(f"{c.name}{' *' if c.required else ''}" for c in entity.layout.columns)
        lines.append(f"- {name}: {columns}")
    return "\n".join(lines)


@api.post(
    "/entities/{entity}/batches",
    url_name="batch_submit",
    response={200: BatchOut, 202: BatchOut, 400: Invalid, 409: Error, **REFUSALS},
    summary="Send a batch of one entity",
    description=(
        "Keeps the rows as one batch and queues its check and preview. 202: a new batch; 200: the batch "
        "this batch_key already made (a retry). 409: the batch_key was used for other rows. Needs the "
        "entity's scope.\n\n" + _columns_description()
    ),
    operation_id="batch_submit",
    openapi_extra={"requestBody": {"content": {"application/json": {"examples": _entity_examples()}}}},
)
def batch_submit(
    request: ApiRequest,
    payload: BatchIn,
    entity: PathEx[EntityName, P(description="Which file of the housing record.")],
) -> Status[BatchOut]:
    connection = request.auth
    gate.require_scope(connection, entity, f"send {ENTITIES[entity].layout.title.lower()}")
    try:
        submitted = services.batch_submit(
            connection=connection, entity=entity, batch_key=payload.batch_key, rows=payload.rows, request=request
        )
    except services.KeyReused as reused:
        raise gate.Refused(409, str(reused)) from None
    return Status(202 if submitted.new else 200, batch_out(submitted.sent))


@api.get(
    "/batches/{uuid:code}",
    url_name="batch",
    operation_id="batch",
    response={200: BatchOut, **REFUSALS},
    summary="Read a batch's status and counts",
    description="Only a batch this connection sent. Any connection may ask.",
)
def batch(request: ApiRequest, code: UUID) -> BatchOut:
    return batch_out(access.get_batch_for_connection(request.auth, code))


@api.get(
    "/batches/{uuid:code}/problems",
    url_name="batch_problems",
    operation_id="batch_problems",
    response={200: ProblemsOut, 400: Invalid, **REFUSALS},
    summary="Read the rows a batch refused, and why",
    description=(
        f"In line order, up to {PROBLEMS_PAGE} at a time. The preview's problems (what applying would refuse) "
        "until the batch starts applying, then applying's own, unless stage says which."
    ),
)
def batch_problems(
    request: ApiRequest,
    code: UUID,
    stage: QueryEx[Stage | None, P(description="Whose problems: the preview's or applying's.")] = None,
    after_line: QueryEx[int, P(ge=0, description="Only rows after this line (from next_after_line).")] = 0,
) -> ProblemsOut:
    sent = access.get_batch_for_connection(request.auth, code)
    chosen = stage or _stage_of(sent.batch)
    found = access.problems_of(sent.batch, stage=chosen, after_line=after_line, limit=PROBLEMS_PAGE + 1)
    more = len(found) > PROBLEMS_PAGE
    shown = found[:PROBLEMS_PAGE]
    return ProblemsOut(
        batch=sent.batch.uuid,
        stage=chosen,
        problems=[Problem(line=p.line, field=p.field, why=p.why) for p in shown],
        next_after_line=shown[-1].line if more else None,
    )


class OutboxEventOut(Schema):
    id: UUID = Field(description="The event's id: the same on every delivery, so a repeat can be dropped.")
    position: int = Field(description="Where it is in the outbox: ask again with after set to the last one.")
    topic: str = Field(description="What happened, for example repair.reported or details_change.approved.")
    about: str = Field(description="The housing system's reference of what it is about.")
    payload: dict[str, Any]
    created_at: datetime.datetime


class OutboxPage(Schema):
    events: list[OutboxEventOut]
    next_after: int | None = Field(
        description="Ask again with after set to this for more; null when none are left now."
    )


@api.get(
    "/outbox/events",
    url_name="outbox_events",
    operation_id="outbox_events",
    response={200: OutboxPage, 400: Invalid, **REFUSALS},
    summary="Collect the updates waiting for the housing system, in order",
    description=(
        "The same events the webhook posts (docs/outbox.md), in position order, whatever their webhook "
        f"delivery. Up to {OUTBOX_PAGE} at a time. Needs the outbox scope. Each collection is recorded, "
        "per person an update is about."
    ),
)
def outbox_events(
    request: ApiRequest,
    after: QueryEx[int, P(ge=0, description="Only events after this position (0: from the first).")] = 0,
    limit: QueryEx[int, P(ge=1, le=OUTBOX_PAGE, description="How many at most.")] = 100,
) -> OutboxPage:
    connection = request.auth
    gate.require_scope(connection, OUTBOX, "read the updates waiting for the housing system")
    events = services.outbox_collect(connection=connection, after=after, limit=limit + 1)
    shown = events[:limit]
    services.outbox_collected(connection=connection, events=shown, request=request)
    return OutboxPage(
        events=[OutboxEventOut(**pull.as_json(event)) for event in shown],
        next_after=shown[-1].id if len(events) > limit else None,
    )


@api.get(
    "/openapi.json",
    url_name="openapi",
    operation_id="openapi",
    response={200: dict[str, Any], **REFUSALS},
    summary="This API's OpenAPI schema",
    description="The same as docs/feed-api.openapi.json. Any connection may ask: a simple way to test signing.",
)
def openapi(request: ApiRequest) -> dict[str, Any]:
    return schema()


def schema() -> dict[str, Any]:
    """The schema as JSON has it (status codes as text), the same served and written to docs/."""
    loaded: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(path_prefix=PREFIX)))
    return loaded


# --- Shapes ---------------------------------------------------------------------------------


def _stage_of(batch: FeedBatch) -> Stage:
    return "apply" if batch.apply_started_at is not None else "preview"


def batch_out(sent: ConnectionBatch) -> BatchOut:
    batch = sent.batch
    previewed = batch.preview if batch.previewed_at else None
    return BatchOut(
        id=batch.uuid,
        batch_key=sent.batch_key,
        entity=batch.entity,
        status=cast(BatchStatus, batch.status),
        status_text=batch.get_status_display(),
        reason=batch.reason,
        rows=batch.rows,
        apply_when_previewed=batch.apply_when_previewed,
        received_at=batch.received_at,
        previewed_at=batch.previewed_at,
        applied_at=batch.applied_at,
        preview=Preview(**{name: int(previewed.get(name, 0)) for name in Preview.model_fields}) if previewed else None,
        counts=Counts(**batch.counts),
        problems=reverse("feed_api:batch_problems", args=[batch.uuid]),
    )


# --- Errors: JSON, with the reason and nothing else ---------------------------------------


@api.exception_handler(gate.Refused)
def refused(request: ApiRequest, refusal: gate.Refused) -> HttpResponse:
    response = api.create_response(request, {"error": refusal.reason}, status=refusal.status)
    if refusal.retry_after is not None:
        response["Retry-After"] = str(refusal.retry_after)
    if refusal.status == 401:
        response["WWW-Authenticate"] = 'Porch-Signature realm="feed-api"'
    request.feed_api_refusal = refusal.reason
    return response


@api.exception_handler(ValidationError)
def invalid(request: ApiRequest, error: ValidationError) -> HttpResponse:
    problems = [{"where": ".".join(str(part) for part in e["loc"]), "why": e["msg"]} for e in error.errors]
    reason = "The request is not what this endpoint takes: see problems."
    request.feed_api_refusal = reason
    return api.create_response(request, {"error": reason, "problems": problems}, status=400)


@api.exception_handler(HttpError)
def http_error(request: ApiRequest, error: HttpError) -> HttpResponse:
    reason = "The body is not JSON." if error.status_code == 400 else str(error)
    request.feed_api_refusal = reason
    return api.create_response(request, {"error": reason}, status=error.status_code)


@api.exception_handler(Http404)
def not_found(request: ApiRequest, error: Http404) -> HttpResponse:
    reason = "This connection sent no batch with this id."
    request.feed_api_refusal = reason
    return api.create_response(request, {"error": reason}, status=404)


@api.exception_handler(Exception)
def unexpected(request: ApiRequest, error: Exception) -> HttpResponse:
    raise error  # Django's own handling: logged, and the plain 500 page
