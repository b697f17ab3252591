"""`manage.py canaries install`: households flagged as test whose details carry a marker,
which no staff list shows and nobody can sign in as."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import Cast, sign_in
from porch.canaries import known
from porch.canaries.models import CanaryTrip
from porch.canaries.services import canaries_install
from porch.core.markers import LENGTH, PREFIX
from porch.housing.models import TestHousehold


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    known.forget()
    yield
    known.forget()


@pytest.fixture
def canaries(cast: Cast) -> list[TestHousehold]:
    canaries_install(count=3)
    return list(TestHousehold.objects.filter(purpose=TestHousehold.Purpose.CANARY).select_related("tenancy__property"))


def test_each_canary_carries_its_own_random_marker_in_every_detail(canaries: list[TestHousehold]) -> None:
    markers = {household.marker for household in canaries}
    assert len(markers) == 3
    for household in canaries:
        marker, tenancy = household.marker, household.tenancy
        assert marker.startswith(PREFIX) and len(marker) == LENGTH
        assert tenancy.is_test and tenancy.property.is_test and marker in tenancy.property.address_line_1
        assert marker not in tenancy.reference  # the reference names the canary on incidents
        people = [membership.person for membership in tenancy.memberships.select_related("person__user")]
        assert len(people) == 2
        for person in people:
            assert person.is_test and person.user.is_test
            assert marker in person.last_name and marker.lower() in person.email
            assert person.date_of_birth is not None
            assert not person.user.has_usable_password()  # nobody signs in as a canary
        documents = list(tenancy.documents.select_related("type"))
        assert any(document.type.resident_visible for document in documents)
        for document in documents:
            assert marker in document.title
            with document.file.open("rb") as file:
                assert marker.encode() in file.read()


def test_installing_again_tops_up_to_the_count_and_no_further(cast: Cast) -> None:
    assert len(canaries_install(count=2)) == 2
    assert canaries_install(count=2) == []
    assert len(canaries_install(count=3)) == 1
    assert canaries_install(count=1) == []
    assert TestHousehold.objects.filter(purpose=TestHousehold.Purpose.CANARY).count() == 3


def test_canaries_never_appear_in_staff_searches(cast: Cast, canaries: list[TestHousehold], as_user: Any) -> None:
    dpo = as_user(cast.staff["dpo"])
    household = canaries[0]
    for term in (household.tenancy.reference, "ZZ99 9ZZ", "Larch Walk", "Robin Canary"):
        page = dpo.get("/staff/tenancies/", {"q": term}).content.decode()
        assert "0 results" in page, term
    assert not CanaryTrip.objects.exists()


def test_canaries_are_not_listed_with_the_test_households(
    cast: Cast, canaries: list[TestHousehold], as_user: Any
) -> None:
    cast.staff["cs"].role_grants.create(role="test_residents")
    page = as_user(cast.staff["cs"]).get("/staff/test-residents/").content.decode()
    assert not any(household.tenancy.reference in page for household in canaries)
    assert not CanaryTrip.objects.exists()


def test_the_isolation_self_test_passes_with_canaries_installed_and_trips_nothing(
    cast: Cast, canaries: list[TestHousehold]
) -> None:
    from porch.rollout.isolation_check import isolation_check_run

    run = isolation_check_run(households_wanted=2)
    assert run.passed, run.leaks
    assert not CanaryTrip.objects.exists()


def test_a_canary_resident_sees_only_their_own_household(cast: Cast, canaries: list[TestHousehold]) -> None:
    own, *others = canaries
    client = sign_in(Client(), own.tenancy.memberships.first().person.user)
    from porch.core.isolation import crawl

    households = list(cast.households.values())
    leaks = crawl(
        client,
        foreign_markers=[h.marker for h in households] + [other.marker for other in others],
        foreign_codes=[code for h in households for code in h.codes],
    )
    assert leaks == [] and not CanaryTrip.objects.exists()
