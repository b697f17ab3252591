"""A repair's clocks, timeline, photos and visits carry the repair's place (RepairPart), so the
database wall (ADR 0032) can match them by a key on the row. However a row is made, the copy
is the repair's."""

from __future__ import annotations

import datetime
import importlib
from uuid import uuid4

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import timezone

from conftest import Cast
from porch.repairs import clocks, services
from porch.repairs.categories import category
from porch.repairs.models import Appointment, Repair, RepairClock, RepairEvent, RepairPhoto, Slot

PARTS: tuple[type[Model], ...] = (RepairClock, RepairEvent, RepairPhoto, Appointment)

pytestmark = pytest.mark.django_db


def communal_repair(cast: Cast) -> Repair:
    block = cast["ashton"].tenancy.property.block
    kind = category("communal_lighting")
    return Repair.objects.create(
        block=block,
        category=kind.code,
        priority=kind.priority.value,
        description="The stair light is out",
        reported_at=timezone.now(),
        nation=clocks.nation(),
        reference=services.new_reference(),
    )


def parts_of_every_kind(cast: Cast) -> list[Repair]:
    home = Repair.objects.get(tenancy=cast["ashton"].tenancy)  # its clocks made by bulk_create
    shared = communal_repair(cast)
    services.start_clocks(shared)
    for repair in (home, shared):
        RepairEvent.objects.create(repair=repair, kind=RepairEvent.Kind.NOTE, text="Looked at it")
        RepairPhoto.objects.create(repair=repair, file=f"repairs/{uuid4().hex}.jpeg", content_type="image/jpeg", size=1)
    slot = Slot.objects.create(
        patch=cast["ashton"].tenancy.property.block.estate.patch,
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=4),
    )
    Appointment.objects.get_or_create(repair=home, slot=slot)
    return [home, shared]


def assert_each_part_carries_its_repairs_place() -> None:
    for part in PARTS:
        rows = part.objects.values_list(
            "tenancy_id", "block_id", "estate_id", "repair__tenancy_id", "repair__block_id", "repair__estate_id"
        )
        assert rows, part.__name__
        for row in rows:
            assert row[:3] == row[3:], part.__name__


def test_each_part_of_a_repair_carries_its_repairs_place(with_every_module: Cast) -> None:
    home, shared = parts_of_every_kind(with_every_module)
    assert_each_part_carries_its_repairs_place()
    assert home.clocks.exists() and shared.clocks.exists()
    assert shared.events.get().block_id == shared.block_id


def test_the_migration_copies_the_place_onto_parts_made_before_it(with_every_module: Cast) -> None:
    parts_of_every_kind(with_every_module)
    for part in PARTS:
        part.objects.update(tenancy=None, block=None, estate=None)
    migration = importlib.import_module("porch.repairs.migrations.0005_repair_parts_carry_their_repairs_place")
    migration.copy_each_repairs_place(apps, None)
    assert_each_part_carries_its_repairs_place()
