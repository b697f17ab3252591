"""The system administrators' pages: adding a connection shows its secret once, and the secret
shown is one the housing system can sign with; changing, rotating and switching off; the
DPO reads; every change is audited and never records the secret."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, Cast, sign_in
from porch.audit.models import AccessEvent
from porch.integrations import keys
from porch.integrations.models import Connection, ConnectionBatch
from porch.integrations.tests.helpers import PEOPLE, Hms, connection

NEW = "/staff/connections/new/"


@pytest.fixture
def admin(cast: Cast) -> Client:
    return sign_in(Client(), cast.staff["admin"])


def add_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "idempotency_key": str(uuid.uuid4()),
        "name": "Housing management system",
        "scopes": ["people", "tenancies"],
        "networks": "192.0.2.0/28\n198.51.100.7",
        "password": PASSWORD,
    }
    form.update(changes)
    return form


def secret_on(page: str) -> str:
    found = re.findall(r"porch_feed_[A-Za-z0-9_-]{43}", page)
    assert len(found) == 1, found
    return found[0]


def test_adding_a_connection_shows_its_secret_once_and_it_signs_requests(admin: Client) -> None:
    response = admin.post(NEW, add_form())
    assert response.status_code == 200
    page = response.content.decode()
    assert "You will not see it again" in page
    secret = secret_on(page)
    added = Connection.objects.get()
    assert (added.name, added.scopes, added.allowed_networks) == (
        "Housing management system",
        ["people", "tenancies"],
        ["192.0.2.0/28", "198.51.100.7/32"],
    )
    assert str(added.uuid) in page
    assert response["Cache-Control"] == "private, no-store"
    assert Hms(added, secret).batch("people", PEOPLE).status_code == 202
    # Never shown again: not on its page, not on the list.
    for path in (f"/staff/connections/{added.uuid}/", "/staff/connections/"):
        assert secret not in admin.get(path).content.decode()


def test_the_secret_is_not_kept_in_any_form_that_signs(admin: Client) -> None:
    secret = secret_on(admin.post(NEW, add_form()).content.decode())
    added = Connection.objects.get()
    assert added.secret_hash == keys.secret_hash(secret)
    stored = " ".join(str(value) for value in Connection.objects.values().get().values())
    assert secret not in stored
    # What the database holds cannot sign: the hash is not the secret.
    hms = Hms(added, added.secret_hash)
    assert hms.batch("people", PEOPLE).status_code == 401


def test_a_double_submit_adds_one_connection_and_shows_no_second_secret(admin: Client) -> None:
    form = add_form()
    admin.post(NEW, form)
    again = admin.post(NEW, form, follow=True)
    assert Connection.objects.count() == 1
    page = again.content.decode()
    assert "already added" in page
    assert "porch_feed_" not in page


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"scopes": []}, "Select what the connection may do"),
        ({"name": ""}, "Enter a name"),
        ({"networks": "192.0.2.300"}, "192.0.2.300 is not an address or a network"),
        ({"networks": "0.0.0.0/0"}, "0.0.0.0/0 lets every address in"),
        ({"networks": "192.0.2.1/24"}, "192.0.2.1/24 is not an address or a network"),
        ({"password": "not my password"}, "The password is not correct"),
    ],
)
def test_a_form_with_a_problem_says_so_and_adds_nothing(admin: Client, changes: dict, error: str) -> None:
    response = admin.post(NEW, add_form(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and error in page
    assert page.count("<title>Error: ") == 1
    assert Connection.objects.count() == 0


def test_a_name_already_taken_is_refused(cast: Cast, admin: Client) -> None:
    connection(cast, name="Housing management system")
    page = admin.post(NEW, add_form(name="housing management system")).content.decode()
    assert "already exists" in page
    assert Connection.objects.count() == 1


def test_without_the_server_key_no_connection_can_be_added_or_rotated(cast: Cast, admin: Client, settings) -> None:
    added, _ = connection(cast)
    settings.FEED_API_KEY = ""
    assert "not set up" in admin.get("/staff/connections/").content.decode()
    response = admin.post(NEW, add_form())
    assert "FEED_API_KEY" in response.content.decode()
    assert Connection.objects.count() == 1
    rotate = admin.post(
        f"/staff/connections/{added.uuid}/rotate/", {"rotate-version": "1", "rotate-password": PASSWORD}
    )
    assert "FEED_API_KEY" in rotate.content.decode()
    assert Connection.objects.get().key_version == 1


def test_adding_is_audited_without_the_secret(cast: Cast, admin: Client) -> None:
    secret = secret_on(admin.post(NEW, add_form()).content.decode())
    event = AccessEvent.objects.get(object_type="feed_connection")
    assert event.actor == cast.staff["admin"]
    assert event.object_id == str(Connection.objects.get().uuid)
    assert event.reason.startswith("added: may Send people, Send tenancies; from 192.0.2.0/28, 198.51.100.7/32")
    assert secret not in event.reason


def test_changing_what_it_may_do_takes_the_password_and_is_audited(cast: Cast, admin: Client) -> None:
    added, secret = connection(cast)
    path = f"/staff/connections/{added.uuid}/change/"
    form = {"scopes": ["people", "outbox"], "networks": "192.0.2.0/28", "apply_when_previewed": "on"}
    wrong = admin.post(path, {**form, "password": "wrong"})
    assert "The password is not correct" in wrong.content.decode()
    assert Connection.objects.get().scopes == ["people"]
    admin.post(path, {**form, "password": PASSWORD})
    changed = Connection.objects.get()
    assert (changed.scopes, changed.apply_when_previewed) == (["outbox", "people"], True)
    event = AccessEvent.objects.filter(object_type="feed_connection", action="update").get()
    assert event.reason == (
        "changed. Before: may Send people; from 192.0.2.0/28; does not apply its batches once previewed. "
        "Now: may Send people, Read the updates waiting for the housing system (the outbox); from 192.0.2.0/28; "
        "applies its batches once previewed"
    )
    assert Hms(changed, secret).batch("people", PEOPLE).json()["apply_when_previewed"] is True


def test_rotating_shows_a_new_secret_once_and_the_old_one_stops(cast: Cast, admin: Client) -> None:
    added, old = connection(cast)
    path = f"/staff/connections/{added.uuid}/rotate/"
    form = {"rotate-version": "1", "rotate-password": PASSWORD}
    new = secret_on(admin.post(path, form).content.decode())
    assert new != old
    assert Hms(added, old).batch("people", PEOPLE, batch_key="a").status_code == 401
    assert Hms(added, new).batch("people", PEOPLE, batch_key="b").status_code == 202
    again = admin.post(path, form, follow=True).content.decode()  # a double submit
    assert "already changed" in again and "porch_feed_" not in again
    assert Connection.objects.get().key_version == 2
    event = AccessEvent.objects.filter(object_type="feed_connection", action="update").get()
    assert event.reason == "secret rotated: key version 2"


def test_rotating_needs_the_password(cast: Cast, admin: Client) -> None:
    added, _ = connection(cast)
    response = admin.post(f"/staff/connections/{added.uuid}/rotate/", {"rotate-version": "1", "rotate-password": "x"})
    page = response.content.decode()
    assert "There is a problem" in page and "The password is not correct" in page
    assert "porch_feed_" not in page
    assert Connection.objects.get().key_version == 1


def test_switching_off_refuses_its_requests_for_good(cast: Cast, admin: Client) -> None:
    added, secret = connection(cast)
    path = f"/staff/connections/{added.uuid}/"
    unconfirmed = admin.post(path + "switch-off/", {})
    assert "Confirm you want to switch this connection off" in unconfirmed.content.decode()
    assert Connection.objects.get().active
    admin.post(path + "switch-off/", {"off-confirm": "on"})
    assert not Connection.objects.get().active
    assert Hms(added, secret).batch("people", PEOPLE).status_code == 401
    page = admin.get(path).content.decode()
    assert "Switched off on" in page and "Make a new secret" not in page
    change = admin.post(path + "change/", {"scopes": ["people"], "networks": "", "password": PASSWORD}, follow=True)
    assert "switched off" in change.content.decode()
    assert AccessEvent.objects.filter(object_type="feed_connection", reason="switched off").count() == 1


def test_the_dpo_reads_connections_but_changes_nothing(cast: Cast) -> None:
    added, _ = connection(cast)
    dpo = sign_in(Client(), cast.staff["dpo"])
    page = dpo.get(f"/staff/connections/{added.uuid}/").content.decode()
    assert "Housing management system" in page and "Make a new secret" not in page
    assert "Add a connection" not in dpo.get("/staff/connections/").content.decode()
    for action in ("rotate/", "switch-off/", "change/"):
        assert dpo.post(f"/staff/connections/{added.uuid}/{action}", {"off-confirm": "on"}).status_code == 403
    assert Connection.objects.get().active


def test_a_forged_id_is_not_found(admin: Client) -> None:
    assert admin.get(f"/staff/connections/{uuid.uuid4()}/").status_code == 404


def test_the_staff_home_links_to_connections_for_those_who_may_open_them(cast: Cast) -> None:
    for who, shown in (("admin", True), ("dpo", True), ("cs", False)):
        page = sign_in(Client(), cast.staff[who]).get("/staff/").content.decode()
        assert ('href="/staff/connections/"' in page) is shown, who


def test_the_page_lists_the_batches_a_connection_sent(cast: Cast, admin: Client) -> None:
    added, secret = connection(cast)
    Hms(added, secret).batch("people", PEOPLE, batch_key="nightly-2026-11-30")
    page = admin.get(f"/staff/connections/{added.uuid}/").content.decode()
    assert "nightly-2026-11-30" in page and "Received, waiting to be checked" in page


def test_each_batch_links_to_the_feeds_page_for_it_for_those_who_may_open_it(cast: Cast) -> None:
    added, secret = connection(cast)
    Hms(added, secret).batch("people", PEOPLE, batch_key="nightly-2026-11-30")
    code = ConnectionBatch.objects.get().batch.uuid
    for who in ("admin", "dpo"):
        client = sign_in(Client(), cast.staff[who])
        page = client.get(f"/staff/connections/{added.uuid}/").content.decode()
        assert f'href="/staff/feed/{code}/">nightly-2026-11-30' in page, who
        assert client.get(f"/staff/feed/{code}/").status_code == 200, who
    untrained = cast.staff["admin"]
    untrained.training_completed_on = timezone.localdate() - datetime.timedelta(days=400)
    untrained.save(update_fields=["training_completed_on"])
    page = sign_in(Client(), untrained).get(f"/staff/connections/{added.uuid}/").content.decode()
    assert "nightly-2026-11-30" in page and "/staff/feed/" not in page  # the feed's page would refuse them
