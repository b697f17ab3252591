"""Tenancies and who belongs to them: the tenancies and memberships files.

Access follows these at once. A resident's access is worked out afresh from the record on
every request (porch.accounts.actors), so a tenancy or membership that has ended is gone from
their next page; and the sessions of everyone who lost a home are ended too, so they sign in
again into what is theirs now. A tenancy keeps its home and a membership its tenancy and
person: a move is one ending and another starting, never a record repointed, so nothing of an
earlier tenancy of a home ever reaches the household of a later one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import ClassVar

from porch.audit.services import Seen
from porch.feed import columns as c
from porch.feed.effects import audit, sessions_end
from porch.feed.loading import CHANGED, CREATED, UNCHANGED, Outcome, Parsed, Plan, Run, differences, given, refuse
from porch.feed.people import UNKNOWN_PERSON
from porch.feed.saving import changed_rows_save
from porch.housing.models import Membership, Person, Property, Tenancy, in_force, normalise_reference

TENANCY_FIELDS = {
    "kind": "kind",
    "start_date": "start_date",
    "end_date": "end_date",
    "extra_care": "needs_extra_care",
}
MEMBERSHIP_FIELDS = {"role": "role", "start_date": "start_date", "end_date": "end_date"}
ENDS_BEFORE_START = "The end date is before the start date."
NO_TENANCY = "No tenancy here has this reference: send the tenancies file first."


class Tenancies:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="tenancies",
        title="Tenancies",
        about="Each tenancy or lease and the home it is of. A tenancy stays with its home. Setting an end "
        "date on or before today ends the household's access to it at once.",
        key="tenancy_ref",
        columns=(
            c.Column("tenancy_ref", "The HMS's reference for the tenancy.", c.reference, example="T-0012345"),
            c.Column("property_ref", "The home (its property_ref).", c.reference, example="PR-000123"),
            c.Column("kind", "What kind of tenancy.", c.choice(Tenancy.Kind.values), example="social_rent"),
            c.Column("start_date", "When it started, year-month-day.", c.date, example="2019-04-01"),
            c.Column("end_date", "When it ended or ends; empty while it runs.", c.date, required=False),
            c.Column(
                "extra_care",
                "yes if the household is vulnerable or has support needs (no detail: the income team "
                "takes extra care over arrears); empty or no if not. Leave the column out to keep what is here.",
                c.yes_no,
                required=False,
                example="no",
                empty=False,
            ),
        ),
        load_after=("properties",),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        keys = [normalise_reference(r.key) for r in rows]
        here = {t.reference: t for t in Tenancy.objects.filter(reference__in=keys)}
        found = Property.objects.filter(hms_reference__in={r.values["property_ref"] for r in rows})
        homes = {str(reference): pk for reference, pk in found.values_list("hms_reference", "id")}
        planned: list[Plan | Outcome] = []
        for row in rows:
            planned.append(self._plan_one(run, row, here.get(normalise_reference(row.key)), homes))
        return planned

    def _plan_one(self, run: Run, row: Parsed, tenancy: Tenancy | None, homes: dict[str, int]) -> Plan | Outcome:
        home = homes.get(row.values["property_ref"])
        if home is None:
            return refuse(row, "property_ref", "No home here has this reference: send the properties file first.")
        end = row.values.get("end_date")
        if end is not None and end < row.values["start_date"]:
            return refuse(row, "end_date", ENDS_BEFORE_START)
        if tenancy is None:
            outcome = Outcome(row.line, CREATED, note=f"{row.key}: a new tenancy")
            return Plan(row, outcome, extra={"property_id": home})
        if tenancy.property_id != home:
            return refuse(row, "property_ref", "A tenancy stays with its home: end it and start a new tenancy.")
        was_in_force = tenancy.is_current(run.today)
        changed = differences(tenancy, given(row, TENANCY_FIELDS))
        if not changed:
            return Plan(row, Outcome(row.line, UNCHANGED), record=tenancy)
        ends = was_in_force and not tenancy.is_current(run.today)
        note = f"{row.key}: {'ends, ' if ends else ''}{', '.join(changed)} changed"
        return Plan(row, Outcome(row.line, CHANGED, note=note, ends_tenancy=ends), record=tenancy, changed=changed)

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        new = [
            Tenancy(
                reference=normalise_reference(plan.parsed.key),
                property_id=plan.extra["property_id"],
                **given(plan.parsed, TENANCY_FIELDS),
            )
            for plan in plans
            if plan.outcome.result == CREATED
        ]
        Tenancy.objects.bulk_create(new)
        changed = [plan for plan in plans if plan.outcome.result == CHANGED]
        changed_rows_save(Tenancy, [plan.record for plan in changed], list(TENANCY_FIELDS.values()))
        members = members_of([plan.record.pk for plan in changed])
        reason = f"from the housing system (batch {run.batch_id})"
        audit(
            run.actor,
            "update",
            "tenancy",
            [
                Seen(
                    p.record.uuid,
                    members.get(p.record.pk, [None]),
                    p.record.pk,
                    f"{', '.join(p.changed)} changed {reason}",
                )
                for p in changed
            ],
        )
        ended = [plan.record.pk for plan in changed if plan.outcome.ends_tenancy]
        sessions_end(person for tenancy in ended for person in members.get(tenancy, []))


def members_of(tenancy_ids: Iterable[int], roles: Sequence[str] | None = None) -> dict[int, list[int]]:
    """Each tenancy's members, past and present (of these roles, if given): whose data a change to it is."""
    found = Membership.objects.filter(tenancy_id__in=set(tenancy_ids))
    if roles is not None:
        found = found.filter(role__in=roles)
    members: dict[int, list[int]] = {}
    for tenancy, person in found.values_list("tenancy_id", "person_id"):
        members.setdefault(tenancy, []).append(person)
    return members


def tenancy_ids_for(rows: Sequence[Parsed]) -> dict[str, int]:
    """The ids of the tenancies the rows' tenancy_ref name, by reference."""
    wanted = {normalise_reference(row.values["tenancy_ref"]) for row in rows}
    return dict(Tenancy.objects.filter(reference__in=wanted).values_list("reference", "id"))


class Memberships:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="memberships",
        title="Who belongs to each tenancy",
        about="Each person's place on a tenancy: lead or joint tenant, household member or homeowner, and "
        "when. A membership stays with its tenancy and person: a move is an end date on the old one and "
        "a new one. An end date on or before today ends the person's access at once.",
        key="membership_ref",
        columns=(
            c.Column("membership_ref", "The HMS's reference for this membership.", c.reference, example="M-0099887"),
            c.Column("tenancy_ref", "The tenancy (its tenancy_ref).", c.reference, example="T-0012345"),
            c.Column("person_ref", "The person (their person_ref).", c.reference, example="P-0004711"),
            c.Column("role", "Their place on it.", c.choice(Membership.Role.values), example="joint_tenant"),
            c.Column("start_date", "From, year-month-day.", c.date, example="2019-04-01"),
            c.Column("end_date", "Until; empty while it lasts.", c.date, required=False),
        ),
        load_after=("tenancies", "people"),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        here = {m.hms_reference: m for m in Membership.objects.filter(hms_reference__in=[r.key for r in rows])}
        tenancies = tenancy_ids_for(rows)
        people = dict(
            Person.objects.filter(housing_reference__in={r.values["person_ref"] for r in rows}).values_list(
                "housing_reference", "id"
            )
        )
        homes_now = _current_tenancies_of(people.values(), run.today)
        return [self._plan_one(run, row, here.get(row.key), tenancies, people, homes_now) for row in rows]

    def _plan_one(
        self,
        run: Run,
        row: Parsed,
        membership: Membership | None,
        tenancies: dict[str, int],
        people: dict[str, int],
        homes_now: dict[int, set[int]],
    ) -> Plan | Outcome:
        tenancy = tenancies.get(normalise_reference(row.values["tenancy_ref"]))
        person = people.get(row.values["person_ref"])
        if tenancy is None:
            return refuse(row, "tenancy_ref", NO_TENANCY)
        if person is None:
            return refuse(row, "person_ref", UNKNOWN_PERSON)
        end = row.values.get("end_date")
        if end is not None and end < row.values["start_date"]:
            return refuse(row, "end_date", ENDS_BEFORE_START)
        if membership is None:
            moves = in_force(row.values["start_date"], end, run.today) and bool(
                homes_now.get(person, set()) - {tenancy}
            )
            note = f"{row.key}: {'a move to another tenancy' if moves else 'a new membership'}"
            outcome = Outcome(row.line, CREATED, note=note, moves_person=moves)
            return Plan(row, outcome, extra={"tenancy_id": tenancy, "person_id": person})
        if (membership.tenancy_id, membership.person_id) != (tenancy, person):
            why = "A membership stays with its tenancy and person: end it and add a new one."
            return refuse(row, "membership_ref", why)
        was = membership.in_force(run.today)
        changed = differences(membership, given(row, MEMBERSHIP_FIELDS))
        if not changed:
            return Plan(row, Outcome(row.line, UNCHANGED), record=membership)
        ends = was and not membership.in_force(run.today)  # with the row's dates, now set on it
        note = f"{row.key}: {'ends, ' if ends else ''}{', '.join(changed)} changed"
        return Plan(
            row, Outcome(row.line, CHANGED, note=note), record=membership, changed=changed, extra={"ends": ends}
        )

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        new = [
            Membership(
                hms_reference=plan.parsed.key,
                tenancy_id=plan.extra["tenancy_id"],
                person_id=plan.extra["person_id"],
                **given(plan.parsed, MEMBERSHIP_FIELDS),
            )
            for plan in plans
            if plan.outcome.result == CREATED
        ]
        Membership.objects.bulk_create(new)
        changed = [plan for plan in plans if plan.outcome.result == CHANGED]
        changed_rows_save(Membership, [plan.record for plan in changed], list(MEMBERSHIP_FIELDS.values()))
        reason = f"from the housing system (batch {run.batch_id})"
        seen = [Seen(m.uuid, [m.person_id], m.tenancy_id, f"membership {m.hms_reference} added {reason}") for m in new]
        seen += [
            Seen(
                p.record.uuid,
                [p.record.person_id],
                p.record.tenancy_id,
                f"membership {p.parsed.key}: {', '.join(p.changed)} changed {reason}",
            )
            for p in changed
        ]
        audit(run.actor, "update", "tenancy", seen)
        sessions_end(plan.record.person_id for plan in changed if plan.extra.get("ends"))


def _current_tenancies_of(person_ids: Iterable[int], today: datetime.date) -> dict[int, set[int]]:
    homes: dict[int, set[int]] = {}
    current = Membership.objects.current(today).filter(person_id__in=person_ids)
    for person, tenancy in current.values_list("person_id", "tenancy_id"):
        homes.setdefault(person, set()).add(tenancy)
    return homes
