"""Loading the housing record from files: upserts by the housing system's references, each row
all or nothing, the same file twice changing nothing, and every refusal said plainly."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pytest
from django.db import transaction

from porch.audit.models import AccessEvent
from porch.feed import pipeline, reading
from porch.feed.columns import Column, Layout, text
from porch.feed.effects import feed_actor
from porch.feed.loading import CREATED, REFUSED, Outcome, Parsed, Plan, Run, load
from porch.feed.models import FeedBatch, FeedProblem, HeldPerson
from porch.feed.reading import Row
from porch.feed.tests.files import (
    PLACE,
    PROPERTIES,
    applied,
    csv_bytes,
    jsonl_bytes,
    memberships,
    people,
    previewed,
    properties,
    tenancies,
)
from porch.housing.models import AddressKey, Block, Estate, Membership, Patch, Person, Property, Tenancy

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
STARTED = "2020-04-01"


def _problems(batch: FeedBatch) -> list[tuple[int, str, str]]:
    return list(batch.problems.filter(stage=FeedProblem.Stage.APPLY).values_list("line", "field", "why"))


def a_household() -> None:
    """Two homes, three people, a tenancy with two joint tenants and a household member."""
    applied("properties", properties(("PR-1", "Flat 1, Ash House", "BL-1"), ("PR-2", "Flat 2, Ash House", "BL-1")))
    applied(
        "people",
        people(
            ("P-1", "Alice", "Ashworth", "1980-01-01"),
            ("P-2", "Bob", "Ashworth", "1981-02-02"),
            ("P-3", "Amy", "Ashworth", "2010-03-03"),
        ),
    )
    applied("tenancies", tenancies(("T-1", "PR-1", STARTED, "")))
    applied(
        "memberships",
        memberships(
            ("M-1", "T-1", "P-1", "lead_tenant", STARTED, ""),
            ("M-2", "T-1", "P-2", "joint_tenant", STARTED, ""),
            ("M-3", "T-1", "P-3", "household_member", STARTED, ""),
        ),
    )


def test_a_full_load_makes_the_record_with_places_and_search_keys() -> None:
    a_household()
    home = Property.objects.get(hms_reference="PR-1")
    assert (home.block.hms_reference, home.block.estate.hms_reference, home.block.estate.patch.name) == (
        "BL-1",
        "ES-1",
        "North",
    )
    assert home.postcode_normalised == "M145TQ"
    assert set(AddressKey.objects.filter(property=home).values_list("key", flat=True)) >= {
        "ash house",
        "flat 1 ash house",
    }
    alice = Person.objects.get(housing_reference="P-1")
    assert (alice.last_name_normalised, alice.full_name_normalised) == ("ashworth", "alice ashworth")
    tenancy = Tenancy.objects.get(reference="T-1")
    assert set(tenancy.memberships.values_list("person__housing_reference", flat=True)) == {"P-1", "P-2", "P-3"}
    assert (Block.objects.count(), Estate.objects.count(), Patch.objects.filter(name="North").count()) == (1, 1, 1)


def test_the_same_file_again_changes_nothing() -> None:
    a_household()
    events = AccessEvent.objects.count()
    again = applied("memberships", memberships(("M-1", "T-1", "P-1", "lead_tenant", STARTED, "")), name="again.csv")
    assert again.counts == {"read": 1, "created": 0, "changed": 0, "unchanged": 1, "refused": 0, "held": 0}
    homes = applied("properties", properties(("PR-1", "Flat 1, Ash House", "BL-1")), name="again.csv")
    assert homes.unchanged == 1 and Membership.objects.count() == 3 and Property.objects.count() == 2
    assert AccessEvent.objects.count() == events  # nothing changed, nothing to record


def test_the_same_upload_twice_is_one_batch() -> None:
    content = properties(("PR-1", "Flat 1", "BL-1"))
    first, second = previewed("properties", content), previewed("properties", content)
    assert first.pk == second.pk and FeedBatch.objects.count() == 1


def test_a_change_is_applied_and_audited_by_field_name_never_value() -> None:
    a_household()
    batch = applied("people", people(("P-1", "Alice", "Brown", "1980-01-01")), name="rename.csv")
    assert batch.changed == 1
    alice = Person.objects.get(housing_reference="P-1")
    assert (alice.last_name, alice.last_name_normalised) == ("Brown", "brown")
    event = AccessEvent.objects.filter(object_type="person", action="update", subject=alice).latest("id")
    assert event.actor_role == "feed" and "last_name changed" in event.reason and "Brown" not in event.reason


def test_bad_rows_are_refused_alone_and_the_good_rows_go_in() -> None:
    applied("properties", properties(("PR-1", "Flat 1", "BL-1")))
    batch = applied(
        "tenancies",
        tenancies(
            ("T-1", "PR-1", STARTED, ""),
            ("T-2", "PR-9", STARTED, ""),  # no such home
            ("T-3", "PR-1", "2020-04-01", "2019-01-01"),  # ends before it starts
            ("T-4", "PR-1", "01/04/2020", ""),  # not a date we read
            ("T-1", "PR-1", STARTED, ""),  # the same reference again
            ("T-5", "PR-1", STARTED, ""),
        ),
    )
    assert set(Tenancy.objects.values_list("reference", flat=True)) == {"T-1", "T-5"}
    assert (batch.created, batch.refused, batch.status) == (2, 4, FeedBatch.Status.APPLIED)
    problems = {line: (column, why) for line, column, why in _problems(batch)}
    assert problems[3] == ("property_ref", "No home here has this reference: send the properties file first.")
    assert problems[4] == ("end_date", "The end date is before the start date.")
    assert problems[5][0] == "start_date" and "year-month-day" in problems[5][1]
    assert problems[6] == ("tenancy_ref", "This reference is also on line 2: once a file.")


def test_two_new_homes_with_one_uprn_are_refused_after_the_first() -> None:
    header = PROPERTIES + PLACE
    place = ["BL-1", "Ash House", "ES-1", "Elm Estate", "North"]
    content = csv_bytes(
        header,
        [
            ["PR-1", "100001", "Flat 1", "", "Manchester", "M14 5TQ", *place],
            ["PR-2", "100001", "Flat 2", "", "Manchester", "M14 5TQ", *place],
            ["PR-3", "", "Flat 3", "", "Manchester", "M14 5TQ", *place],
        ],
    )
    batch = applied("properties", content)
    assert set(Property.objects.values_list("hms_reference", flat=True)) == {"PR-1", "PR-3"}
    assert _problems(batch) == [(3, "uprn", "Line 2 gives this UPRN to another home.")]


class PatchNames:
    """A stand-in entity writing real rows whose uniqueness only the database checks (patch
    names), to show what happens when the database refuses a row the plan let through."""

    layout = Layout(entity="patches", title="Patches", about="", key="name", columns=(Column("name", "", text(100)),))

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        return [Plan(row, Outcome(row.line, CREATED)) for row in rows]

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        Patch.objects.bulk_create([Patch(name=plan.parsed.key) for plan in plans])


def test_a_row_the_database_refuses_is_refused_alone_and_the_rest_of_its_chunk_goes_in() -> None:
    Patch.objects.create(name="Taken")
    rows = [Row(line, {"name": name}) for line, name in ((2, "North"), (3, "Taken"), (4, "South"))]
    run = Run(batch_id=0, actor=feed_actor(None), dry_run=False)
    with transaction.atomic():
        outcomes = load(run, PatchNames(), rows)
    assert [(o.line, o.result) for o in outcomes] == [(2, CREATED), (3, REFUSED), (4, CREATED)]
    assert "clashes with a record already here" in outcomes[1].why
    assert set(Patch.objects.values_list("name", flat=True)) == {"North", "Taken", "South"}


def test_a_tenancy_stays_with_its_home_and_a_membership_with_its_tenancy() -> None:
    a_household()
    moved = applied("tenancies", tenancies(("T-1", "PR-2", STARTED, "")), name="moved.csv")
    assert moved.refused == 1 and "stays with its home" in _problems(moved)[0][2]
    repointed = applied("memberships", memberships(("M-1", "T-1", "P-2", "lead_tenant", STARTED, "")), name="moved.csv")
    assert repointed.refused == 1 and "stays with its tenancy and person" in _problems(repointed)[0][2]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\xff\xfeproperty_ref\n", "not UTF-8"),
        (b"property_ref,town\nPR-1,Leeds\n", "missing the columns"),
        (properties(("PR-1", "Flat 1", "BL-1")).replace(b"property_ref,", b"property_ref,colour,", 1), "does not"),
        (properties(("PR-1", "Flat 1", "BL-1"), ("PR-2", "Flat 2", "BL-1"))[:-9], "cut short"),
        (properties(("PR-1", "Flat 1", "BL-1")) + b"PR-2,Flat 2\n", "has 2 values where the header has 11"),
        (properties()[:], "no rows"),
        (b"", "empty"),
        (properties(("PR-1", 'Flat "1', "BL-1")).replace(b'"Flat ""1"', b'"Flat "1'), "CSV"),
    ],
)
def test_a_damaged_file_is_refused_whole(content: bytes, why: str) -> None:
    # A good row first: a file refused whole applies none of its rows, even those before the damage.
    batch = previewed("properties", content)
    assert batch.status == FeedBatch.Status.REFUSED and why in batch.reason, batch.reason
    assert not Property.objects.exists()


def test_json_lines_read_like_csv_and_a_damaged_line_refuses_the_file() -> None:
    record = {"person_ref": "P-1", "first_name": "Alice", "last_name": "Ashworth", "date_of_birth": None}
    batch = applied("people", jsonl_bytes([record]), fmt="jsonl")
    assert batch.created == 1
    damaged = previewed("people", jsonl_bytes([record])[:-5] + b"\n", fmt="jsonl", name="damaged.jsonl")
    assert damaged.status == FeedBatch.Status.REFUSED and "not a JSON object" in damaged.reason


def test_the_preview_shows_what_would_change_and_keeps_nothing() -> None:
    a_household()
    events = AccessEvent.objects.count()
    batch = previewed(
        "people", people(("P-1", "Alice", "Brown", "1980-01-01"), ("P-9", "Zed", "Zane", "1990-09-09")), name="next.csv"
    )
    assert batch.status == FeedBatch.Status.PREVIEWED
    assert (batch.preview["created"], batch.preview["changed"]) == (1, 1)
    assert [change["note"] for change in batch.preview["changes"]] == ["P-1: last_name changed", "P-9: a new person"]
    assert Person.objects.get(housing_reference="P-1").last_name == "Ashworth"
    assert not Person.objects.filter(housing_reference="P-9").exists()
    assert AccessEvent.objects.count() == events


def test_a_lookalike_is_held_for_staff_never_merged() -> None:
    a_household()
    batch = applied("people", people(("P-7", "alice", "ASHWORTH", "1980-01-01")), name="lookalike.csv")
    assert batch.held == 1 and not Person.objects.filter(housing_reference="P-7").exists()
    held = HeldPerson.objects.get()
    assert (held.housing_reference, held.looks_like.housing_reference) == ("P-7", "P-1")
    again = applied("people", people(("P-7", "alice", "ASHWORTH", "1980-01-01")), name="lookalike-again.csv")
    assert again.held == 1 and HeldPerson.objects.count() == 1


def _apply_stopped_on_the_second_chunk(monkeypatch: pytest.MonkeyPatch, batch: FeedBatch) -> None:
    """Apply the batch as a worker stopped while loading its second chunk would (the first committed)."""
    real_load, calls = pipeline.load, []

    def stop_on_the_second_chunk(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the worker was stopped")
        return real_load(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "load", stop_on_the_second_chunk)
        with pytest.raises(RuntimeError):
            pipeline.apply(batch.pk)


def test_a_stopped_run_carries_on_where_it_stopped_without_doing_anything_twice(monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    homes = [(f"PR-{n}", f"Flat {n}", "BL-1") for n in range(1, 6)]
    batch = previewed("properties", properties(*homes))
    FeedBatch.objects.filter(pk=batch.pk).update(status=FeedBatch.Status.APPLYING)
    _apply_stopped_on_the_second_chunk(monkeypatch, batch)
    batch.refresh_from_db()
    assert (batch.position, batch.created, Property.objects.count()) == (2, 2, 2)
    pipeline.apply(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.position, batch.created, batch.read) == (FeedBatch.Status.APPLIED, 5, 5, 5)
    assert Property.objects.count() == 5


def test_a_row_repeating_a_reference_is_refused_even_when_a_stopped_run_carries_on_after_the_first(
    monkeypatch,
) -> None:
    """The check finds the repeats once, for the whole file, and keeps them with the batch: a
    run carrying on after a stop remembers nothing of the rows before, yet still refuses them."""
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    homes = [("PR-1", "Flat 1", "BL-1"), ("PR-2", "Flat 2", "BL-1"), ("pr-1", "Flat 1 again", "BL-1")]
    batch = previewed("properties", properties(*homes))
    assert batch.repeats == {"4": 2}
    FeedBatch.objects.filter(pk=batch.pk).update(status=FeedBatch.Status.APPLYING)
    _apply_stopped_on_the_second_chunk(monkeypatch, batch)
    pipeline.apply(batch.pk)  # a new run: it starts at the third row, knowing nothing of the first two
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.refused) == (FeedBatch.Status.APPLIED, 2, 1)
    assert _problems(batch) == [(4, "property_ref", "This reference is also on line 2: once a file.")]


def test_a_file_full_of_repeated_references_is_refused_whole(monkeypatch) -> None:
    monkeypatch.setattr(reading, "MOST_REPEATS", 2)
    homes = [("PR-1", "Flat 1", "BL-1")] * 4
    batch = previewed("properties", properties(*homes))
    assert batch.status == FeedBatch.Status.REFUSED
    assert batch.reason.startswith("More than 2 rows repeat the reference of an earlier row")


def test_the_extra_care_flag_is_yes_or_no_and_a_file_without_it_keeps_what_is_here() -> None:
    a_household()
    header = ["tenancy_ref", "property_ref", "kind", "start_date", "end_date", "extra_care"]
    flagged = applied(
        "tenancies", csv_bytes(header, [["T-1", "PR-1", "social_rent", STARTED, "", "yes"]]), name="a.csv"
    )
    assert flagged.changed == 1 and Tenancy.objects.get(reference="T-1").needs_extra_care
    assert applied("tenancies", tenancies(("T-1", "PR-1", STARTED, "")), name="b.csv").unchanged == 1
    assert Tenancy.objects.get(reference="T-1").needs_extra_care
    bad = applied("tenancies", csv_bytes(header, [["T-1", "PR-1", "social_rent", STARTED, "", "maybe"]]), name="c.csv")
    assert bad.refused == 1 and any("yes or no" in p.why for p in bad.problems.all())
    cleared = applied("tenancies", csv_bytes(header, [["T-1", "PR-1", "social_rent", STARTED, "", ""]]), name="d.csv")
    assert cleared.changed == 1 and not Tenancy.objects.get(reference="T-1").needs_extra_care
