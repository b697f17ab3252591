"""People (names and dates of birth) and their contact details: the people and contacts files.

A person is matched by the HMS's reference and nothing else. A new reference whose name and
date of birth are those of someone already here is held for staff (HeldPerson), never merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from porch.accounts.models import SignupCode, User
from porch.audit.services import Seen
from porch.core.phones import normalise_phone
from porch.feed import columns as c
from porch.feed.effects import audit, contact_change_tell
from porch.feed.loading import (
    CHANGED,
    CREATED,
    HELD,
    UNCHANGED,
    Outcome,
    Parsed,
    Plan,
    Run,
    differences,
    given,
    refuse,
)
from porch.feed.models import HeldPerson
from porch.feed.saving import changed_rows_save
from porch.housing.models import Person, normalise_name

NAME_FIELDS = {"first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth"}
CONTACT_FIELDS = {"email": "email", "mobile": "mobile"}
UNKNOWN_PERSON = "No person here has this reference: send the people file first."


class People:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="people",
        title="People",
        about="Everyone named on a tenancy. Matched by reference only; a new reference with the name and "
        "date of birth of someone already here is held for staff to look at, never merged.",
        key="person_ref",
        columns=(
            c.Column("person_ref", "The HMS's reference for the person.", c.reference, example="P-0004711"),
            c.Column("first_name", "First name.", c.text(100), example="Alice"),
            c.Column("last_name", "Last name.", c.text(100), example="Ashworth"),
            c.Column("date_of_birth", "Date of birth, year-month-day.", c.date, required=False, example="1980-02-29"),
        ),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        here = {p.housing_reference: p for p in Person.objects.filter(housing_reference__in=[r.key for r in rows])}
        new = [row for row in rows if row.key not in here]
        lookalikes = _lookalikes(run, new)
        planned: list[Plan | Outcome] = []
        for row in rows:
            person = here.get(row.key)
            if person is not None:
                changed = differences(person, given(row, NAME_FIELDS))
                result = CHANGED if changed else UNCHANGED
                note = f"{row.key}: {', '.join(changed)} changed" if changed else ""
                planned.append(Plan(row, Outcome(row.line, result, note=note), record=person, changed=changed))
            elif row.line in lookalikes:
                note = f"{row.key}: held, looks like someone already here"
                planned.append(Plan(row, Outcome(row.line, HELD, note=note), extra={"like": lookalikes[row.line]}))
            else:
                planned.append(Plan(row, Outcome(row.line, CREATED, note=f"{row.key}: a new person")))
        return planned

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        new = [_person(plan.parsed) for plan in plans if plan.outcome.result == CREATED]
        Person.objects.bulk_create(new)
        changed = [plan.record for plan in plans if plan.outcome.result == CHANGED]
        for person in changed:
            person.last_name_normalised, person.full_name_normalised = person.names_normalised()
        changed_rows_save(Person, changed, [*NAME_FIELDS.values(), "last_name_normalised", "full_name_normalised"])
        HeldPerson.objects.bulk_create(
            [_hold(run, plan) for plan in plans if plan.outcome.result == HELD], ignore_conflicts=True
        )
        reason = f"from the housing system (batch {run.batch_id})"
        audit(run.actor, "create", "person", [Seen(p.uuid, [p.pk], reason=reason) for p in new])
        audit(run.actor, "update", "person", [_changed_seen(plan, reason) for plan in plans if plan.record in changed])


def _changed_seen(plan: Plan, reason: str) -> Seen:
    return Seen(plan.record.uuid, [plan.record.pk], reason=f"{', '.join(plan.changed)} changed {reason}")


def _person(row: Parsed) -> Person:
    person = Person(housing_reference=row.key, **{k: v or "" for k, v in given(row, NAME_FIELDS).items()})
    person.date_of_birth = row.values.get("date_of_birth")
    person.last_name_normalised, person.full_name_normalised = person.names_normalised()
    return person


def _lookalikes(run: Run, new: Sequence[Parsed]) -> dict[int, int]:
    """For each new row (by line) that looks like a person already here, or like a new person
    earlier in this file (the same name and date of birth, another reference): that person's
    id, or 0 for one earlier in the file (made by this run, looked up when the hold is written)."""
    keyed = [(_name(row), row) for row in new if row.values.get("date_of_birth")]
    found = Person.objects.filter(
        full_name_normalised__in={name for (name, _), _ in keyed},
        date_of_birth__in={dob for (_, dob), _ in keyed},
        is_test=False,
    ).values_list("full_name_normalised", "date_of_birth", "id")
    here = {(name, dob): pk for name, dob, pk in found}
    earlier = run.remembered("new people")
    like: dict[int, int] = {}
    for key, row in keyed:
        if key in here:
            like[row.line] = here[key]
        elif earlier.setdefault(key, row.key) != row.key:
            like[row.line] = 0
    return like


def _name(row: Parsed) -> tuple[str, object]:
    full = normalise_name(f"{row.values['first_name']} {row.values['last_name']}")
    return full, row.values.get("date_of_birth")


def _hold(run: Run, plan: Plan) -> HeldPerson:
    row = plan.parsed
    like = plan.extra["like"]
    if not like:
        earlier = run.remembered("new people")[_name(row)]
        like = Person.objects.filter(housing_reference=earlier).values_list("id", flat=True).first()
        if like is None:  # the earlier row was refused: nothing here to compare with, so nothing to hold
            raise IntegrityError("the person this row looks like was not added")
    return HeldPerson(
        batch_id=run.batch_id,
        line=row.line,
        housing_reference=row.key,
        first_name=row.values["first_name"],
        last_name=row.values["last_name"],
        date_of_birth=row.values.get("date_of_birth"),
        looks_like_id=like,
    )


CHANNEL_OF = {"email": SignupCode.Channel.EMAIL, "mobile": SignupCode.Channel.SMS}


def _unused_codes_withdraw(plans: Sequence[Plan]) -> None:
    """A sign-up code sent to an email address or mobile that is no longer the person's stops
    working now: whoever holds the old address must not finish signing up as them."""
    for field, channel in CHANNEL_OF.items():
        people = [plan.record.pk for plan in plans if field in plan.changed]
        if people:
            unused = SignupCode.objects.filter(person_id__in=people, channel=channel, used_at__isnull=True)
            unused.filter(expires_at__gt=timezone.now()).update(expires_at=timezone.now())


class Contacts:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="contacts",
        title="Contact details",
        about="The email address and mobile number each person signs up and signs in with. A column left out "
        "of the file is left as it is; an empty value clears it. When an account's email or mobile changes, "
        "the old one is told, and a sign-up code sent to the old one stops working.",
        key="person_ref",
        columns=(
            c.Column("person_ref", "The HMS's reference for the person.", c.reference, example="P-0004711"),
            c.Column("email", "Email address.", c.email, required=False, example="alice@example.org"),
            c.Column("mobile", "Mobile number, UK or international.", c.mobile, required=False, example="07700 900123"),
        ),
        load_after=("people",),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        with_login = User.objects.filter(person=OuterRef("pk"), is_active=True)
        people = Person.objects.filter(housing_reference__in=[r.key for r in rows]).annotate(login=Exists(with_login))
        here = {person.housing_reference: person for person in people}
        planned: list[Plan | Outcome] = []
        for row in rows:
            person = here.get(row.key)
            if person is None:
                planned.append(refuse(row, "person_ref", UNKNOWN_PERSON))
                continue
            before = {"email": person.email, "mobile": person.mobile}
            changed = differences(person, given(row, CONTACT_FIELDS))
            note = f"{row.key}: {', '.join(changed)} changed" if changed else ""
            outcome = Outcome(row.line, CHANGED if changed else UNCHANGED, note=note)
            planned.append(Plan(row, outcome, record=person, changed=changed, extra={"before": before}))
        return planned

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        people = [plan.record for plan in plans]
        for person in people:
            person.mobile_normalised = normalise_phone(person.mobile)
        changed_rows_save(Person, people, ["email", "mobile", "mobile_normalised"])
        _unused_codes_withdraw(plans)
        reason = f"from the housing system (batch {run.batch_id})"
        audit(run.actor, "update", "person", [_changed_seen(plan, reason) for plan in plans])
        for plan in plans:
            if plan.record.login:
                before = plan.extra["before"]
                old_email = before["email"] if "email" in plan.changed else ""
                old_mobile = before["mobile"] if "mobile" in plan.changed else ""
                contact_change_tell(
                    old_email=old_email, old_mobile=old_mobile, changed=plan.changed, is_test=plan.record.is_test
                )
