from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from conftest import Cast, sign_in
from porch.core.isolation import crawl
from porch.core.models import TestOutboxMessage
from porch.housing.models import Tenancy, TestHousehold


@pytest.fixture
def tester(cast: Cast) -> Client:
    cast.staff["cs"].role_grants.create(role="test_residents")
    return sign_in(Client(), cast.staff["cs"])


def create(tester: Client) -> str:
    form = tester.get("/staff/test-residents/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    return tester.post("/staff/test-residents/", {"idempotency_key": key}).content.decode(), key


def test_staff_create_a_test_household_and_see_its_logins_once(cast: Cast, tester: Client) -> None:
    page, key = create(tester)
    household = TestHousehold.objects.get()
    assert household.tenancy.is_test and household.tenancy.property.is_test
    assert all(m.person.is_test and m.person.user.is_test for m in household.tenancy.memberships.all())
    assert "Write these sign-in details down now" in page and page.count("@test.invalid") >= 2
    again = tester.post("/staff/test-residents/", {"idempotency_key": key}).content.decode()
    assert TestHousehold.objects.count() == 1 and "already created" in again


def test_a_test_resident_signs_in_with_the_shown_password(cast: Cast, tester: Client) -> None:
    page, _ = create(tester)
    username, password = re.search(r"(test-[0-9a-f]+@test\.invalid)<br><code>([^<]+)</code>", page).groups()  # type: ignore[union-attr]
    client = Client()
    assert client.post("/sign-in/", {"username": username, "password": password})["Location"] == "/"
    assert "Hello, Lead" in client.get("/").content.decode()


def test_test_households_never_appear_in_staff_searches(cast: Cast, tester: Client) -> None:
    create(tester)
    tenancy = Tenancy.objects.get(is_test=True)
    page = sign_in(Client(), cast.staff["dpo"]).get("/staff/tenancies/", {"q": tenancy.reference}).content.decode()
    assert "0 results" in page


def test_messages_to_test_residents_go_to_the_test_outbox_not_the_mail(
    cast: Cast, tester: Client, settings, django_capture_on_commit_callbacks
) -> None:
    create(tester)
    person = TestHousehold.objects.get().tenancy.memberships.first().person
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }  # the worker's sending, run at once
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/password-reset/", {"email": person.email})
    assert mail.outbox == []
    message = TestOutboxMessage.objects.get()
    assert message.to == person.email and "/password-reset/" in message.body
    assert person.email in tester.get("/staff/test-residents/outbox/").content.decode()


def test_a_test_login_sees_nothing_of_real_households(cast: Cast, tester: Client) -> None:
    page, _ = create(tester)
    username = re.search(r"(test-[0-9a-f]+@test\.invalid)", page).group(1)  # type: ignore[union-attr]
    from porch.accounts.models import User

    client = sign_in(Client(), User.objects.get(username=username))
    households = list(cast.households.values())
    assert (
        crawl(
            client,
            foreign_markers=[h.marker for h in households],
            foreign_codes=[c for h in households for c in h.codes],
        )
        == []
    )
