from __future__ import annotations

import datetime
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from porch.audit.services import record
from porch.core import notify
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.core.phones import normalise_phone
from porch.core.working_days import add_working_days
from porch.housing.models import DetailsChangeRequest, Person, Tenancy
from porch.outbox.services import About, emit

Field = DetailsChangeRequest.Field

# 07 and nine more digits, once spaces, dashes and brackets are gone and +44 or 0044 is 0.
UK_MOBILE = re.compile(r"07\d{9}")
DATE_SEPARATORS = re.compile(r"[\s/.,\-]+")
DIGITS = re.compile(r"[0-9]{1,4}")
ORDINAL = re.compile(r"\b([0-9]{1,2})(st|nd|rd|th)\b")
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
NAME_LENGTH = Person._meta.get_field("first_name").max_length or 100
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


class AlreadyDecided(Exception):
    """Someone decided the request first: a double submit, or two staff at once."""


class AlreadyAsked(Exception):
    """The resident already has an open request to change this: it waits for our answer."""

    def __init__(self, waiting: DetailsChangeRequest) -> None:
        super().__init__(waiting.uuid)
        self.waiting = waiting

    @property
    def message(self) -> str:
        asked = date_format(self.waiting.created_at, "j F Y")
        reply_by = date_format(self.waiting.due_on, "j F Y")
        return (
            f"You already asked us to change your {self.waiting.get_field_display().lower()} on {asked}. "
            f"We will reply by {reply_by}. You can ask again once we have replied."
        )


def clean_new_value(field: str, value: str) -> str:
    """The value a resident asked for, checked for its field and stored in one form
    (mobiles as 07700 900982, dates of birth as YYYY-MM-DD). Raises ValidationError
    with a GOV.UK message. Used by the resident's form and again when staff approve."""
    value = " ".join(value.split())
    if not value:
        raise ValidationError("Enter what it should say")
    if field == Field.EMAIL:
        return _email(value)
    if field == Field.MOBILE:
        return _mobile(value)
    if field == Field.DATE_OF_BIRTH:
        return _date_of_birth(value).isoformat()
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError("Enter an email address in the correct format, like name@example.com") from None
    return value


def _mobile(value: str) -> str:
    """A UK mobile number as people write it (07700 900982), read the way sign-in reads one."""
    national = "0" + normalise_phone(value).removeprefix("+44")
    if not UK_MOBILE.fullmatch(national):
        raise ValidationError("Enter a UK mobile number, like 07700 900 982")
    return f"{national[:5]} {national[5:]}"


def _date_of_birth(value: str) -> datetime.date:
    """Day, month and year in that order ("27 3 1985", "27/03/1985", "27th March 1985"),
    or the stored form YYYY-MM-DD."""
    wrong = ValidationError("Enter your date of birth as day, month and year, like 27 3 1985")
    text = ORDINAL.sub(r"\1", value.strip().lower().rstrip("."))
    parts = DATE_SEPARATORS.split(text)
    if len(parts) == 3 and len(parts[0]) == 4:  # YYYY-MM-DD
        parts = parts[::-1]
    if len(parts) != 3:
        raise wrong
    day, month, year = parts
    month_number = MONTHS.get(month) or (int(month) if DIGITS.fullmatch(month) else None)
    if not (DIGITS.fullmatch(day) and month_number and DIGITS.fullmatch(year)):
        raise wrong
    if len(year) != 4:
        raise ValidationError("Year must include 4 numbers")
    try:
        born = datetime.date(int(year), month_number, int(day))
    except ValueError:
        raise ValidationError("Date of birth must be a real date") from None
    if born >= timezone.localdate():
        raise ValidationError("Date of birth must be in the past")
    if born < EARLIEST_BIRTH:
        raise ValidationError("Date of birth must be after 1 January 1900")
    return born


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
    """Store a resident's request to change their details, once however often it is sent,
    with the day our reply is due."""
    checked = clean_new_value(field, new_value)

    def create() -> DetailsChangeRequest:
        waiting = DetailsChangeRequest.objects.filter(person=person, field=field).waiting().first()
        if waiting is not None:
            raise AlreadyAsked(waiting)
        change = DetailsChangeRequest.objects.create(
            person=person,
            tenancy=tenancy,
            field=field,
            new_value=checked,
            note=note,
            due_on=add_working_days(timezone.localdate(), DetailsChangeRequest.REPLY_WORKING_DAYS),
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


def details_change_request_approve(
    *,
    actor: Actor,
    change: DetailsChangeRequest,
    first_name: str = "",
    last_name: str = "",
    request: HttpRequest | None = None,
) -> DetailsChangeRequest:
    """Approve a request: change the person's record to what they asked for (a name as
    the first and last names staff split it into), decide the request, audit both, and
    tell the resident. "Something else" is changed by hand: approving only records it.
    Raises AlreadyDecided, or ValidationError if the value asked for is not valid."""
    with transaction.atomic():
        locked = _lock_open(change)
        person = Person.objects.select_for_update().get(pk=locked.person_id)
        contacts = _contacts(person)
        changed = _apply(locked, person, first_name=first_name, last_name=last_name)
        if changed:
            person.save(update_fields=changed)
        _decide(actor, locked, DetailsChangeRequest.Status.DONE)
        _record_decision(actor, locked, "approved", request)
        if changed:
            # Which field, never the old or new value: the audit log must not copy personal data.
            record(
                actor=actor,
                action="update",
                object_type="person",
                object_id=person.uuid,
                subject_ids=[person.id],
                reason=f"{locked.get_field_display()} changed, as asked in request {locked.uuid}",
                request=request,
            )
        _tell_resident(contacts | _contacts(person), is_test=person.is_test)
        emit(
            "details_change.approved",
            about=About(person.housing_reference, [person.id], person.is_test),
            payload=_approved(locked, person, changed),
        )
    return locked


def _approved(change: DetailsChangeRequest, person: Person, changed: list[str]) -> dict[str, object]:
    """What the housing management system hears of an approval (porch.outbox, docs/outbox.md):
    whose record, the field and its value now. "Something else" is changed by hand, so the
    value is the resident's own words and the portal's record has not changed."""
    value = change.new_value if change.field == Field.OTHER else clean_new_value(change.field, change.new_value)
    said: dict[str, object] = {
        "person_ref": person.housing_reference,
        "tenancy_ref": change.tenancy.reference,
        "request": str(change.uuid),
        "field": change.field,
        "new_value": value,
        "changed_in_portal": bool(changed),
        "decided_at": change.decided_at,
    }
    if change.field == Field.NAME:
        said |= {"first_name": person.first_name, "last_name": person.last_name}
    return said


def details_change_request_decline(
    *, actor: Actor, change: DetailsChangeRequest, reason: str, request: HttpRequest | None = None
) -> DetailsChangeRequest:
    """Decline a request with a reason the resident will read. Raises AlreadyDecided."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Enter the reason we cannot make this change")
    with transaction.atomic():
        locked = _lock_open(change)
        locked.decline_reason = reason
        _decide(actor, locked, DetailsChangeRequest.Status.DECLINED, "decline_reason")
        _record_decision(actor, locked, "declined", request)
        _tell_resident(_contacts(locked.person), is_test=locked.person.is_test)
    return locked


def _lock_open(change: DetailsChangeRequest) -> DetailsChangeRequest:
    """The request, locked until the transaction ends, if it is still open: of two
    decisions made at once, the second waits here and then finds it decided."""
    locked = DetailsChangeRequest.objects.select_for_update().select_related("person").get(pk=change.pk)
    if not locked.is_open:
        raise AlreadyDecided
    return locked


def _apply(change: DetailsChangeRequest, person: Person, *, first_name: str, last_name: str) -> list[str]:
    """Put the requested value on the record; the names of the fields that changed."""
    if change.field == Field.OTHER:
        return []
    value = clean_new_value(change.field, change.new_value)
    if change.field == Field.NAME:
        person.first_name, person.last_name = _split_name(value, first_name, last_name)
        return ["first_name", "last_name"]
    if change.field == Field.EMAIL:
        person.email = value
    elif change.field == Field.MOBILE:
        person.mobile = value
    elif change.field == Field.DATE_OF_BIRTH:
        person.date_of_birth = datetime.date.fromisoformat(value)
    return [change.field]


def _split_name(asked: str, first_name: str, last_name: str) -> tuple[str, str]:
    """Staff choose where the first names end; the name itself stays the one asked for."""
    first, last = " ".join(first_name.split()), " ".join(last_name.split())
    if not first or not last:
        raise ValidationError("Enter the first and last names")
    if len(first) > NAME_LENGTH or len(last) > NAME_LENGTH:
        raise ValidationError(f"First and last names must each be {NAME_LENGTH} characters or fewer")
    if f"{first} {last}".casefold() != asked.casefold():
        raise ValidationError(f"The first and last names together must be the name asked for: {asked}")
    return first, last


def _decide(actor: Actor, change: DetailsChangeRequest, status: str, *also: str) -> None:
    change.status = status
    change.decided_at = timezone.now()
    change.decided_by_id = actor.user_id
    change.save(update_fields=["status", "decided_at", "decided_by", *also])


def _record_decision(actor: Actor, change: DetailsChangeRequest, decision: str, request: HttpRequest | None) -> None:
    # Reached through the tenancy the request is filed under. The reason names the decision
    # and the field, never the values or the words of a refusal.
    record(
        actor=actor,
        action="update",
        object_type="details_change_request",
        object_id=change.uuid,
        subject_ids=[change.person_id],
        tenancy_id=change.tenancy_id,
        reason=f"{decision}: {change.get_field_display()}",
        request=request,
    )


def _contacts(person: Person) -> frozenset[tuple[str, str]]:
    """Where to tell a person something: their email, or if they have none their mobile."""
    if person.email:
        return frozenset({("email", person.email)})
    if person.mobile:
        return frozenset({("text", person.mobile)})
    return frozenset()


def _tell_resident(contacts: frozenset[tuple[str, str]], *, is_test: bool) -> None:
    """A short message with no personal data: what we decided is on the portal, behind sign-in.
    Sent to the contact details before a change too, so a change nobody asked for is noticed.
    The task worker sends it after the decision commits."""
    link = notify.portal_link(reverse("portal:my_details"))
    body = (
        f"We have looked at your request to change your details. Sign in to see what we decided: {link} "
        f"If you did not ask us to change your details, call us on {settings.LANDLORD_PHONE}."
    )
    subject = f"{settings.LANDLORD_NAME}: your request to change your details"
    for channel, address in sorted(contacts):
        if channel == "email":
            notify.email_later(to=address, subject=subject, body=body, is_test=is_test)
        else:
            notify.text_later(to=address, body=body, is_test=is_test)
