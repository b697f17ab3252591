"""Homes, with their block, estate and patch: the properties file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from porch.feed import columns as c
from porch.feed.loading import CHANGED, CREATED, UNCHANGED, Outcome, Parsed, Plan, Run, differences, given, refuse
from porch.feed.saving import changed_rows_save
from porch.housing.models import AddressKey, Block, Estate, Patch, Property, normalise_postcode

PROPERTY_FIELDS = {
    "uprn": "uprn",
    "address_line_1": "address_line_1",
    "address_line_2": "address_line_2",
    "town": "town",
    "postcode": "postcode",
}


class Properties:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="properties",
        title="Homes",
        about="Each home, with the block, estate and patch it is in. Blocks and estates are made or renamed from here.",
        key="property_ref",
        columns=(
            c.Column("property_ref", "The HMS's reference for the home.", c.reference, example="PR-000123"),
            c.Column("uprn", "Unique Property Reference Number.", c.uprn, required=False, example="100012345678"),
            c.Column("address_line_1", "First line of the address.", c.text(200), example="Flat 1, Ashdown House"),
            c.Column("address_line_2", "Second line.", c.text(200), required=False, example="12 Ashdown Road"),
            c.Column("town", "Town or city.", c.text(100), example="Manchester"),
            c.Column("postcode", "UK postcode.", c.postcode, example="M14 5TQ"),
            c.Column("block_ref", "The HMS's reference for the block.", c.reference, example="BL-0042"),
            c.Column("block_name", "The block's name.", c.text(100), example="Ashdown House"),
            c.Column("estate_ref", "The HMS's reference for the estate.", c.reference, example="ES-007"),
            c.Column("estate_name", "The estate's name.", c.text(100), example="Ashdown Estate"),
            c.Column("patch", "The housing patch the estate is in, by its name.", c.text(100), example="North"),
        ),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        found = Property.objects.select_related("block__estate__patch").filter(hms_reference__in=[r.key for r in rows])
        homes = {home.hms_reference: home for home in found}
        uprns = [r.values["uprn"] for r in rows if r.values.get("uprn")]
        uprn_owner = dict(Property.objects.filter(uprn__in=uprns).values_list("uprn", "hms_reference"))
        planned: list[Plan | Outcome] = []
        for row in rows:
            clash = self._place_clash(run, row)
            if clash:
                planned.append(clash)
                continue
            uprn = row.values.get("uprn")
            if uprn and uprn_owner.get(uprn, row.key) != row.key:
                planned.append(refuse(row, "uprn", "This UPRN belongs to another home here."))
                continue
            first = run.remembered("uprns").setdefault(uprn, row.line) if uprn else row.line
            if first != row.line:
                planned.append(refuse(row, "uprn", f"Line {first} gives this UPRN to another home."))
                continue
            planned.append(self._plan_home(row, homes.get(row.key)))
        return planned

    def _place_clash(self, run: Run, row: Parsed) -> Outcome | None:
        """A block or estate named differently on two rows of one file: which is right?"""
        blocks, estates = run.remembered("blocks"), run.remembered("estates")
        block = (row.values["block_name"], row.values["estate_ref"])
        estate = (row.values["estate_name"], row.values["patch"])
        if blocks.setdefault(row.values["block_ref"], (block, row.line))[0] != block:
            line = blocks[row.values["block_ref"]][1]
            return refuse(row, "block_ref", f"Line {line} gives this block another name or estate.")
        if estates.setdefault(row.values["estate_ref"], (estate, row.line))[0] != estate:
            line = estates[row.values["estate_ref"]][1]
            return refuse(row, "estate_ref", f"Line {line} gives this estate another name or patch.")
        return None

    def _plan_home(self, row: Parsed, home: Property | None) -> Plan:
        wanted = given(row, PROPERTY_FIELDS)
        if home is None:
            return Plan(row, Outcome(row.line, CREATED, note=f"{row.key}: a new home"), extra={"wanted": wanted})
        changed = differences(home, wanted)
        place_changed = self._place_differs(home, row)
        if not changed and not place_changed:
            return Plan(row, Outcome(row.line, UNCHANGED), record=home)
        names = ", ".join([*changed, *(["block"] if place_changed else [])])
        return Plan(row, Outcome(row.line, CHANGED, note=f"{row.key}: {names} changed"), record=home, changed=changed)

    @staticmethod
    def _place_differs(home: Property, row: Parsed) -> bool:
        block = home.block
        estate = block.estate
        return bool(
            block.hms_reference != row.values["block_ref"]
            or block.name != row.values["block_name"]
            or estate.hms_reference != row.values["estate_ref"]
            or estate.name != row.values["estate_name"]
            or estate.patch.name != row.values["patch"]
        )

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        block_ids = _places_upsert([plan.parsed for plan in plans])
        new = [
            _home(plan.parsed.key, plan.extra["wanted"], block_ids[plan.parsed.values["block_ref"]])
            for plan in plans
            if plan.outcome.result == CREATED
        ]
        Property.objects.bulk_create(new)
        changed = [plan for plan in plans if plan.outcome.result == CHANGED]
        for plan in changed:
            plan.record.block_id = block_ids[plan.parsed.values["block_ref"]]
            plan.record.postcode_normalised = normalise_postcode(plan.record.postcode)
        changed_rows_save(
            Property, [plan.record for plan in changed], [*PROPERTY_FIELDS.values(), "postcode_normalised", "block"]
        )
        readdressed = [plan.record for plan in changed if "address_line_1" in plan.changed]
        AddressKey.objects.filter(property__in=readdressed).delete()
        AddressKey.objects.bulk_create([key for home in [*new, *readdressed] for key in AddressKey.for_property(home)])


def _home(reference: str, wanted: dict[str, Any], block_id: int) -> Property:
    home = Property(hms_reference=reference, block_id=block_id, **{k: v or "" for k, v in wanted.items()})
    home.uprn = wanted.get("uprn") or None
    home.postcode_normalised = normalise_postcode(home.postcode)
    return home


def _places_upsert(rows: Sequence[Parsed]) -> dict[str, int]:
    """Make or rename the patches, estates and blocks these rows name; each block's id by its reference."""
    patch_names = {row.values["patch"] for row in rows}
    Patch.objects.bulk_create([Patch(name=name) for name in patch_names], ignore_conflicts=True)
    patch_ids = dict(Patch.objects.filter(name__in=patch_names).values_list("name", "id"))
    estates = {row.values["estate_ref"]: (row.values["estate_name"], patch_ids[row.values["patch"]]) for row in rows}
    estate_ids = _upsert(Estate, "patch", estates)
    blocks = {row.values["block_ref"]: (row.values["block_name"], estate_ids[row.values["estate_ref"]]) for row in rows}
    return _upsert(Block, "estate", blocks)


def _upsert(model: type[Estate] | type[Block], parent: str, wanted: dict[str, tuple[str, int]]) -> dict[str, int]:
    """Estates or blocks by HMS reference, each with its name and the id of what it is in
    (parent: "patch" or "estate"): made if new, changed if different. Their ids by reference."""
    here: dict[str, Any] = {str(row.hms_reference): row for row in model.objects.filter(hms_reference__in=list(wanted))}
    changed = []
    for reference, (name, parent_id) in wanted.items():
        row = here.get(reference)
        if row is None:
            here[reference] = model(hms_reference=reference, name=name, **{f"{parent}_id": parent_id})
        elif (row.name, getattr(row, f"{parent}_id")) != (name, parent_id):
            row.name = name
            setattr(row, f"{parent}_id", parent_id)
            changed.append(row)
    model.objects.bulk_create([row for row in here.values() if row.pk is None])
    changed_rows_save(model, changed, ["name", parent])
    return {reference: row.pk for reference, row in here.items()}
