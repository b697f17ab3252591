"""Repairs jobs raised in the housing system become repairs here, seen by the household like
the ones they report, and close here when they close there."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from conftest import Cast, sign_in
from porch.feed.tests.files import applied, csv_bytes
from porch.repairs.models import Repair

pytestmark = pytest.mark.django_db
HEADER = ["job_ref", "tenancy_ref", "block_ref", "category", "description", "raised_at", "status"]
RAISED = "2026-11-02T09:30:00+00:00"


def jobs(*rows: list[str]) -> bytes:
    return csv_bytes(HEADER, [list(row) for row in rows])


def test_a_job_from_the_housing_system_is_a_repair_the_household_sees(cast: Cast) -> None:
    tenancy = cast["ashton"].tenancy.reference
    batch = applied(
        "repairs", jobs(["JOB-1", tenancy, "", "kitchen_tap", "Tap drips (raised by phone)", RAISED, "open"])
    )
    assert batch.created == 1
    repair = Repair.objects.get(external_ref="JOB-1")
    assert repair.tenancy == cast["ashton"].tenancy and repair.reported_by is None and repair.is_open
    assert repair.reported_at == datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
    assert repair.clocks.exists()
    page = sign_in(Client(), cast.resident("alice")).get("/repairs/").content.decode()
    assert repair.reference in page
    assert repair.reference not in sign_in(Client(), cast.resident("sam")).get("/repairs/").content.decode()


def test_the_job_closes_here_when_it_closes_there_and_the_same_row_again_changes_nothing(cast: Cast) -> None:
    tenancy = cast["ashton"].tenancy.reference
    row = ["JOB-1", tenancy, "", "kitchen_tap", "Tap drips", RAISED, "open"]
    applied("repairs", jobs(row))
    done = applied("repairs", jobs([*row[:-1], "completed"]), name="done.csv")
    repair = Repair.objects.get(external_ref="JOB-1")
    assert done.changed == 1 and repair.status == Repair.Status.COMPLETED
    assert not repair.clocks.filter(met_at__isnull=True).exclude(kind="awaab_summary").exists()
    again = applied("repairs", jobs([*row[:-1], "completed"]), name="again.csv")
    assert (again.unchanged, Repair.objects.count()) == (1, 1)
    reopened = applied("repairs", jobs(row), name="reopen.csv")
    assert reopened.refused == 1


def test_a_job_for_shared_areas_names_its_block_and_nothing_else(cast: Cast) -> None:
    block = cast["ashton"].tenancy.property.block
    block.hms_reference = "BL-1"
    block.save(update_fields=["hms_reference"])
    batch = applied(
        "repairs",
        jobs(
            ["JOB-1", "", "BL-1", "communal_lift", "Lift stuck", RAISED, "open"],
            ["JOB-2", cast["ashton"].tenancy.reference, "BL-1", "kitchen_tap", "Both", RAISED, "open"],
            ["JOB-3", "", "", "kitchen_tap", "Neither", RAISED, "open"],
            ["JOB-4", "T999999", "", "kitchen_tap", "Unknown", RAISED, "open"],
            ["JOB-5", "", "BL-1", "kitchen_tap", "No offset", "2026-11-02T09:30:00", "open"],
        ),
    )
    assert (batch.created, batch.refused) == (1, 4)
    assert Repair.objects.get(external_ref="JOB-1").block == block
