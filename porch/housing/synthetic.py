"""The homes of synthetic test households, in a patch of their own, flagged as test.

The households and their residents' accounts are made by porch.accounts.synthetic;
canary households by porch.canaries. Every record carries the household's marker."""

from __future__ import annotations

import datetime
import secrets

from porch.housing.models import Block, Estate, Patch, Property, Tenancy

TEST_PATCH = "Test households"
# Marks the papers a joining member must never see: the household's, from before they joined.
BEFORE_JOINING = "BEFOREJOINING"


def synthetic_tenancy_create(*, address_line_1: str) -> Tenancy:
    """A test home and tenancy, in the test patch, flagged test throughout. Each home is a
    block of its own, so a module's records for a block (a notice) reach one household only."""
    home = Property.objects.create(
        block=_test_block(), address_line_1=address_line_1, town="Testville", postcode="ZZ99 9ZZ", is_test=True
    )
    return Tenancy.objects.create(
        reference=f"TEST{secrets.token_hex(4).upper()}",
        property=home,
        kind=Tenancy.Kind.SOCIAL_RENT,
        start_date=datetime.date(2020, 1, 1),
        is_test=True,
    )


def _test_block() -> Block:
    """Named like the rest of the test patch: never with the marker, as staff pages list blocks."""
    patch, _ = Patch.objects.get_or_create(name=TEST_PATCH)
    estate, _ = Estate.objects.get_or_create(name=TEST_PATCH, patch=patch)
    return Block.objects.create(name=TEST_PATCH, estate=estate)


def household_codes(tenancy: Tenancy) -> list[str]:
    """The ids of one test household's tenancy and people, as they appear in URLs."""
    people = tenancy.memberships.values_list("person__uuid", flat=True)
    return [str(tenancy.uuid), *(str(code) for code in people)]
