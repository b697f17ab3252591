"""Staff search (search_tenancies): what each kind of term finds, that only what the actor
may see comes back, and that the normalised names and address keys it looks up are kept
right by every way people and homes are written (docs/adr/0014-indexed-staff-search.md)."""

from __future__ import annotations

import datetime
import importlib
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from conftest import LONG_AGO, Cast
from porch.accounts.actors import actor_for_user
from porch.accounts.models import User
from porch.core.actor import Actor
from porch.housing.access import search_tenancies
from porch.housing.models import (
    AddressKey,
    Membership,
    Person,
    Property,
    Tenancy,
    address_keys,
    normalise_name,
)


def actor(user: User) -> Actor:
    return actor_for_user(user, verified=True)


def found(who: User, term: str) -> list[str]:
    return [tenancy.reference for tenancy in search_tenancies(actor(who), term)]


def stale_search_keys() -> list[str]:
    """Every person or home whose stored search values differ from what its data gives."""
    stale = [
        f"person {person.pk}: {person.last_name_normalised!r}, {person.full_name_normalised!r}"
        for person in Person.objects.all()
        if (person.last_name_normalised, person.full_name_normalised) != person.names_normalised()
    ]
    keys: dict[int, list[str]] = {}
    for property_id, key in AddressKey.objects.values_list("property_id", "key"):
        keys.setdefault(property_id, []).append(key)
    stale += [
        f"home {home.pk}: {sorted(keys.get(home.pk, []))}"
        for home in Property.objects.all()
        if sorted(keys.get(home.pk, [])) != sorted(address_keys(home.address_line_1))
    ]
    return stale


# --- What each kind of term finds ------------------------------------------------------


@pytest.mark.parametrize(
    "term",
    [
        "T000001",
        "t 000 001",  # a reference in any case and spacing
        "EX1 1AA",
        "ex11aa",  # a postcode in any case and spacing
        "ashtonCANARYASHTON001",  # a surname in any case
        "Alice AshtonCANARYASHTON001",
        "  alice   ASHTONcanaryashton001 ",  # a full name in any case and spacing
        "1 Ash House",
        "1 ash house canaryashton001",  # whole words of the first address line
    ],
)
def test_each_kind_of_term_finds_the_tenancy(cast: Cast, term: str) -> None:
    assert found(cast.staff["cs"], term) == ["T000001"]


def test_words_from_the_middle_of_the_address_find_every_home_they_start(cast: Cast) -> None:
    ash_house = ["T000001", "T000002", "T000003", "T000004"]
    assert found(cast.staff["cs"], "Ash House") == ash_house
    assert found(cast.staff["cs"], "ash ho") == ash_house  # the last word may be cut short
    assert found(cast.staff["cs"], "House") == ash_house


def test_punctuation_in_the_address_or_the_term_does_not_matter(cast: Cast) -> None:
    block = cast["ashton"].tenancy.property.block
    home = Property.objects.create(block=block, address_line_1="Flat 12, St John's Court", town="X", postcode="EX9 9ZZ")
    Tenancy.objects.create(reference="T000099", property=home, kind=Tenancy.Kind.SOCIAL_RENT, start_date=LONG_AGO)
    for term in ("Flat 12 St John", "flat 12, st john's court", "St. John's", "12 st john s"):
        assert found(cast.staff["cs"], term) == ["T000099"], term


def test_part_of_a_word_in_the_middle_finds_nothing(cast: Cast) -> None:
    """The change from "contains" (ADR 0014): words are found from their start only."""
    assert found(cast.staff["cs"], "sh House") == []
    assert found(cast.staff["cs"], "shton") == []


def test_a_name_is_found_from_its_start_and_one_word_is_a_surname(cast: Cast) -> None:
    assert found(cast.staff["cs"], "Ashton") == ["T000001"]  # surnames starting "Ashton"
    assert found(cast.staff["cs"], "Bob Ash") == ["T000001"]
    assert found(cast.staff["cs"], "Alice") == []  # never a first name alone
    assert found(cast.staff["cs"], "Bob Cole") == []


def test_a_name_with_more_than_one_first_name_is_found_whole(cast: Cast) -> None:
    ashton = cast["ashton"]
    mary = Person.objects.create(housing_reference="P9", first_name="Mary Ann", last_name="Quinn")
    Membership.objects.create(
        tenancy=ashton.tenancy, person=mary, role=Membership.Role.HOUSEHOLD_MEMBER, start_date=LONG_AGO
    )
    assert found(cast.staff["cs"], "Mary Ann Quinn") == ["T000001"]
    assert found(cast.staff["cs"], "quinn") == ["T000001"]


def test_a_former_members_name_still_finds_the_tenancy(cast: Cast) -> None:
    assert found(cast.staff["cs"], "Erin EvansCANARYEVANS004") == ["T000004"]


def test_a_term_matching_several_ways_finds_each_tenancy_once(cast: Cast) -> None:
    ashton = cast["ashton"]
    home = ashton.tenancy.property
    home.address_line_1 = "AshtonCANARYASHTON001 Lodge"
    home.save()
    assert found(cast.staff["cs"], "AshtonCANARYASHTON001") == ["T000001"]


def test_results_come_in_order_of_reference(cast: Cast) -> None:
    assert found(cast.staff["cs"], "house") == ["T000001", "T000002", "T000003", "T000004"]
    Tenancy.objects.filter(reference="T000002").update(reference="T000000")
    assert found(cast.staff["cs"], "house")[0] == "T000000"


# --- Only what the actor may see -------------------------------------------------------


def test_an_officer_finds_only_their_patch(cast: Cast) -> None:
    assert found(cast.staff["north"], "T000001") == ["T000001"]
    assert found(cast.staff["south"], "T000001") == []
    assert found(cast.staff["south"], "T000005") == ["T000005"]
    assert found(cast.staff["north"], "EX5 1AA") == []


def test_an_officer_finds_a_home_opened_outside_their_patch(cast: Cast) -> None:
    from porch.staff.services import break_glass_open

    south = cast.staff["south"]
    break_glass_open(actor=actor(south), reference="T000001", reason="call", details="Call ref 12345")
    assert found(south, "1 Ash House") == ["T000001"]
    assert found(south, "Ash House") == ["T000001"]  # not the rest of the block


def test_staff_without_current_training_find_nothing(cast: Cast) -> None:
    cs = cast.staff["cs"]
    User.objects.filter(pk=cs.pk).update(training_completed_on=None)
    cs.refresh_from_db()
    assert found(cs, "T000001") == []


def test_staff_without_a_casework_role_and_residents_find_nothing(cast: Cast) -> None:
    assert found(cast.staff["admin"], "T000001") == []
    assert found(cast.resident("alice"), "T000002") == []


def test_test_households_never_appear(cast: Cast) -> None:
    Tenancy.objects.filter(reference="T000001").update(is_test=True)
    assert found(cast.staff["dpo"], "T000001") == []
    assert found(cast.staff["dpo"], "Ash House") == ["T000002", "T000003", "T000004"]


# --- Kept right by every write path ----------------------------------------------------


def test_the_cast_synthetic_households_and_canaries_have_fresh_search_keys(cast: Cast) -> None:
    from porch.accounts.synthetic import synthetic_household_create
    from porch.canaries.services import canaries_install

    synthetic_household_create(actor=None, purpose="rehearsal")
    canaries_install(count=1)
    assert Person.objects.filter(is_test=True).exists() and Property.objects.filter(is_test=True).exists()
    assert stale_search_keys() == []


def test_saving_changed_names_updates_the_search_names(cast: Cast) -> None:
    alice = Person.objects.get(pk=cast["ashton"].people["alice"].pk)
    alice.first_name, alice.last_name = "Alicia", "Moss"
    alice.save(update_fields=["first_name", "last_name"])
    bob = Person.objects.get(pk=cast["ashton"].people["bob"].pk)
    bob.last_name = "Moss-Ashton"
    bob.save(update_fields=["last_name"])
    assert stale_search_keys() == []
    assert found(cast.staff["cs"], "Alicia Moss") == ["T000001"]
    assert found(cast.staff["cs"], "Alice AshtonCANARYASHTON001") == []


def test_approving_a_change_of_name_updates_search(cast: Cast) -> None:
    from porch.housing.models import DetailsChangeRequest
    from porch.housing.services import details_change_request_approve

    alice = cast["ashton"].people["alice"]
    change = DetailsChangeRequest.objects.create(
        person=alice,
        tenancy=cast["ashton"].tenancy,
        field=DetailsChangeRequest.Field.NAME,
        new_value="Alice Moss",
        due_on=datetime.date.today(),
    )
    details_change_request_approve(actor=actor(cast.staff["cs"]), change=change, first_name="Alice", last_name="Moss")
    assert found(cast.staff["cs"], "Alice Moss") == ["T000001"]
    assert stale_search_keys() == []


def test_saving_a_changed_address_or_postcode_updates_the_search_keys(cast: Cast) -> None:
    home = Property.objects.get(pk=cast["ashton"].tenancy.property_id)
    home.address_line_1 = "Flat 1, Rowan Point"
    home.save(update_fields=["address_line_1"])
    home.postcode = "M1 1AA"
    home.save(update_fields=["postcode"])
    assert stale_search_keys() == []
    assert found(cast.staff["cs"], "Rowan Point") == ["T000001"]
    assert found(cast.staff["cs"], "m11aa") == ["T000001"]
    assert found(cast.staff["cs"], "1 Ash House") == []
    assert found(cast.staff["cs"], "EX1 1AA") == []


def test_saving_other_fields_of_a_home_keeps_its_keys(cast: Cast) -> None:
    home = Property.objects.get(pk=cast["ashton"].tenancy.property_id)
    before = set(AddressKey.objects.filter(property=home).values_list("pk", flat=True))
    home.town = "Elsewhere"
    home.save(update_fields=["town"])
    assert set(AddressKey.objects.filter(property=home).values_list("pk", flat=True)) == before


@pytest.mark.django_db
def test_demo_data_written_in_bulk_has_fresh_search_keys(settings: Any, tmp_path: Any) -> None:
    settings.DEBUG = True  # the demo refuses to load otherwise
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--homes", "40", stdout=StringIO(), stderr=StringIO())
    assert Person.objects.count() > 40 and AddressKey.objects.count() > 40
    assert stale_search_keys() == []
    dpo = User.objects.get(username="dpo@demo.porch.test")
    assert found(dpo, "Alice Ashworth") == ["T0000001"]


def test_the_migration_fills_the_search_keys_of_rows_that_existed_before(cast: Cast) -> None:
    Person.objects.update(last_name_normalised="", full_name_normalised="")
    AddressKey.objects.all().delete()
    assert stale_search_keys() != []
    migration = importlib.import_module("porch.housing.migrations.0008_fill_search_keys")
    migration.fill(apps, connection.schema_editor())  # not entered: fill only quotes names and runs queries
    assert stale_search_keys() == []


def test_names_and_addresses_are_normalised_the_same_way_as_terms() -> None:
    assert normalise_name("  Mary  ANN\tQuinn ") == "mary ann quinn"
    assert address_keys("Flat 1, Ashdown House") == [
        "flat 1 ashdown house",
        "1 ashdown house",
        "ashdown house",
        "house",
    ]
    assert address_keys(" ,, ") == []


def test_many_matches_are_checked_as_a_subquery_with_the_same_result(cast: Cast, monkeypatch: Any) -> None:
    from porch.housing import access

    by_id = found(cast.staff["north"], "Ash House")
    monkeypatch.setattr(access, "MATCHED_BY_ID", 1)
    assert found(cast.staff["north"], "Ash House") == by_id == ["T000001", "T000002", "T000003", "T000004"]
    assert found(cast.staff["south"], "Ash House") == []
