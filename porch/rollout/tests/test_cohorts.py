from __future__ import annotations

import datetime

from django.core import mail
from django.test import Client

from conftest import PASSWORD, Cast, sign_in
from porch.accounts.models import SignupCode
from porch.housing.models import Membership, Person
from porch.rollout.models import Cohort, CohortHomes, CohortModule


def leave_south_out(cast: Cast) -> None:
    CohortHomes.objects.filter(patch=cast.patches["south"]).delete()


def test_residents_outside_an_open_cohort_cannot_sign_in(cast: Cast) -> None:
    leave_south_out(cast)
    client = Client()
    response = client.post("/sign-in/", {"username": "sam@example.org", "password": PASSWORD})
    assert response.status_code == 403 and "not available for your home yet" in response.content.decode()
    assert client.get("/")["Location"].startswith("/sign-in/")  # not signed in
    assert Client().post("/sign-in/", {"username": "alice@example.org", "password": PASSWORD}).status_code == 302


def test_closing_a_cohort_shuts_its_residents_out_at_their_next_click(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    assert alice.get("/").status_code == 200
    Cohort.objects.update(status=Cohort.Status.CLOSED)
    response = alice.get("/")
    assert response.status_code == 403 and "not available for your home yet" in response.content.decode()
    assert alice.get("/documents/").status_code == 403
    assert sign_in(Client(), cast.staff["north"]).get("/staff/").status_code == 200


def test_a_module_not_switched_on_for_the_cohort_is_hidden_and_refused(cast: Cast) -> None:
    CohortModule.objects.update(enabled=False)
    alice = sign_in(Client(), cast.resident("alice"))
    page = alice.get("/").content.decode()
    assert 'href="/documents/"' not in page and cast["ashton"].documents["letter"].title not in page
    assert alice.get("/documents/").status_code == 403
    assert alice.get(f"/documents/{cast['ashton'].documents['letter'].uuid}/download/").status_code == 403


def test_sign_up_outside_an_open_cohort_looks_the_same_and_sends_news_not_a_code(
    cast: Cast, django_capture_on_commit_callbacks, settings
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }  # the worker's sending, run at once
    leave_south_out(cast)
    smith = cast["smith"]
    person = Person.objects.create(
        housing_reference="P7001",
        first_name="Sia",
        last_name="Smith",
        date_of_birth=datetime.date(1991, 2, 3),
        email="sia@example.org",
    )
    Membership.objects.create(
        tenancy=smith.tenancy, person=person, role="joint_tenant", start_date=datetime.date(2020, 1, 1)
    )
    data = {
        "reference": smith.tenancy.reference,
        "date_of_birth_day": "3",
        "date_of_birth_month": "2",
        "date_of_birth_year": "1991",
        "postcode": smith.tenancy.property.postcode,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/sign-up/", data)
    assert response["Location"] == "/sign-up/code/"
    assert not SignupCode.objects.filter(person=person).exists()
    assert [message.to for message in mail.outbox] == [["sia@example.org"]]
    assert "not open for your home yet" in mail.outbox[0].body


def test_test_households_rehearse_before_any_cohort_opens(cast: Cast) -> None:
    from porch.accounts.synthetic import synthetic_household_create

    Cohort.objects.all().delete()
    created = synthetic_household_create(actor=None, purpose="rehearsal")
    assert created is not None
    client = Client()
    login = created.logins[0]
    assert client.post("/sign-in/", {"username": login.username, "password": login.password})["Location"] == "/"
    assert client.get("/documents/").status_code == 200
