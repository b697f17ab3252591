from __future__ import annotations

import uuid

from django.http import HttpRequest

from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.housing.models import DetailsChangeRequest, Person, Tenancy


def details_change_request_create(
    *,
    actor: Actor,
    person: Person,
    tenancy: Tenancy,
    field: str,
    new_value: str,
    note: str,
    idempotency_key: uuid.UUID,
    request: HttpRequest | None = None,
) -> DetailsChangeRequest:
    """Store a resident's request to change their details, once however often it is sent."""

    def create() -> DetailsChangeRequest:
        change = DetailsChangeRequest.objects.create(
            person=person,
            tenancy=tenancy,
            field=field,
            new_value=new_value,
            note=note,
            idempotency_key=idempotency_key,
        )
        record(
            actor=actor,
            action="create",
            object_type="details_change_request",
            object_id=change.uuid,
            subject_ids=[person.id],
            tenancy_id=tenancy.id,
            request=request,
        )
        return change

    return create_once(DetailsChangeRequest.objects.filter(person=person), idempotency_key, create)
