from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD, Cast, make_document, sign_in
from porch.audit.models import AccessEvent
from porch.housing.models import DetailsChangeRequest
from porch.rollout.switches import forget


def test_the_dashboard_shows_the_home_and_household_names(cast: Cast) -> None:
    page = sign_in(Client(), cast.resident("alice")).get("/").content.decode()
    ashton = cast["ashton"]
    assert ashton.tenancy.property.address_line_1 in page
    assert all(person.full_name in page for person in ashton.people.values())
    assert cast["cole"].marker not in page


def test_a_former_tenant_is_told_they_have_no_current_home(cast: Cast) -> None:
    page = sign_in(Client(), cast.resident("erin")).get("/").content.decode()
    assert "not linked to a current tenancy" in page
    assert cast["evans"].tenancy.property.address_line_1 not in page


def test_my_details_shows_only_my_own_details(cast: Cast) -> None:
    page = sign_in(Client(), cast.resident("bob")).get("/my-details/").content.decode()
    assert "bob@example.org" in page and "alice@example.org" not in page


def test_a_change_request_is_stored_once_and_audited(cast: Cast) -> None:
    client = sign_in(Client(), cast.resident("alice"))
    form = client.get("/my-details/change/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    data = {"idempotency_key": key, "field": "mobile", "new_value": "07700900999", "note": "", "password": PASSWORD}
    assert client.post("/my-details/change/", data)["Location"] == "/my-details/"
    client.post("/my-details/change/", data)
    change = DetailsChangeRequest.objects.get()
    assert change.person == cast["ashton"].people["alice"] and change.tenancy == cast["ashton"].tenancy
    assert AccessEvent.objects.filter(object_type="details_change_request", action="create").count() == 1
    assert "Waiting for us to check" in client.get("/my-details/").content.decode()


def test_a_change_request_without_answers_shows_the_errors_and_keeps_what_was_typed(cast: Cast) -> None:
    client = sign_in(Client(), cast.resident("alice"))
    page = client.post(
        "/my-details/change/", {"idempotency_key": "not-a-key", "new_value": "My new name"}
    ).content.decode()
    assert "There is a problem" in page and "Select what you want to change" in page
    assert 'value="My new name"' in page


def assert_query_count_does_not_grow(client: Client, url: str, cast: Cast, extra_documents: int = 15) -> None:
    client.get(url)  # warm caches (sessions, content types)
    forget()  # the switch memory lasts half a second: make both runs read the switches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ashton = cast["ashton"]
    for number in range(extra_documents):
        make_document(ashton.tenancy, cast.types["letter"], f"Letter {number}", ashton.marker)
    forget()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), url


def test_the_documents_list_runs_a_fixed_number_of_queries(cast: Cast) -> None:
    assert_query_count_does_not_grow(sign_in(Client(), cast.resident("alice")), "/documents/", cast)


def test_the_dashboard_runs_a_fixed_number_of_queries(cast: Cast) -> None:
    assert_query_count_does_not_grow(sign_in(Client(), cast.resident("alice")), "/", cast)


def test_staff_search_finds_only_tenancies_in_their_patch_and_is_audited(cast: Cast) -> None:
    reference = cast["ashton"].tenancy.reference
    north = sign_in(Client(), cast.staff["north"]).get("/staff/tenancies/", {"q": reference}).content.decode()
    south = sign_in(Client(), cast.staff["south"]).get("/staff/tenancies/", {"q": reference}).content.decode()
    assert "1 result" in north and "0 results" in south
    assert AccessEvent.objects.filter(action="search", reason=f"search: {reference}").count() >= 2


def test_the_tenancy_page_runs_a_fixed_number_of_queries(cast: Cast) -> None:
    url = f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/"
    assert_query_count_does_not_grow(sign_in(Client(), cast.staff["north"]), url, cast)


def test_staff_find_a_tenancy_by_a_residents_full_name(cast: Cast) -> None:
    alice = cast["ashton"].people["alice"]
    page = sign_in(Client(), cast.staff["north"]).get("/staff/tenancies/", {"q": alice.full_name}).content.decode()
    assert "1 result" in page and cast["ashton"].tenancy.reference in page


def test_with_documents_switched_off_the_menu_hides_them_and_the_home_page_says_so(cast: Cast) -> None:
    from porch.rollout.models import ModuleSwitch
    from porch.rollout.switches import forget

    client = sign_in(Client(), cast.resident("carol"))
    assert 'href="/documents/"' in client.get("/").content.decode()
    ModuleSwitch.objects.create(module="documents", is_off=True, reason="Incident PI-000001")
    forget()  # switches are remembered per process for half a second
    home = client.get("/").content.decode()
    assert 'href="/documents/"' not in home
    assert "You cannot see your documents online at the moment" in home
    assert "Nothing new since your last visit" not in home
