from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, Cast, sign_in
from porch.accounts.models import User
from porch.housing.models import Person


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_resident_signs_in_with_a_password(cast: Cast, client: Client) -> None:
    response = client.post("/sign-in/", {"username": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_session_id_changes_at_sign_in(cast: Cast, client: Client) -> None:
    client.get("/sign-up/")
    client.post("/sign-in/", {"username": "alice@example.org", "password": "wrong password!!"})
    before = client.cookies.get("sessionid")
    client.post("/sign-in/", {"username": "alice@example.org", "password": PASSWORD})
    assert client.cookies["sessionid"].value != (before.value if before else None)


def test_a_wrong_password_gets_one_message_for_any_account(cast: Cast, client: Client) -> None:
    wrong = client.post("/sign-in/", {"username": "alice@example.org", "password": "not the password"})
    unknown = client.post("/sign-in/", {"username": "nobody@example.org", "password": "not the password"})
    assert "Enter a correct sign-in name and password" in wrong.content.decode()
    assert "Enter a correct sign-in name and password" in unknown.content.decode()


def test_repeated_failures_pause_sign_in_for_that_account(cast: Cast, client: Client) -> None:
    for _ in range(5):
        client.post("/sign-in/", {"username": "alice@example.org", "password": "not the password"})
    response = Client().post("/sign-in/", {"username": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 200 and "For the next 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


@pytest.fixture
def bob_by_reference(cast: Cast) -> User:
    """Bob shared an email address when he signed up, so his sign-in name is his customer
    reference; the housing record now holds an email address and a mobile of his own."""
    bob = cast.resident("bob")
    User.objects.filter(pk=bob.pk).update(username="p00011")
    Person.objects.filter(pk=bob.person_id).update(
        email="Bob.Ashton@Example.org", mobile="07700 900123", mobile_normalised="+447700900123"
    )
    return bob


@pytest.mark.parametrize(
    "name",
    [
        "bob.ashton@example.org",
        "BOB.ASHTON@EXAMPLE.ORG ",
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900 123",
        "07700-900-123",
        "P0001 1",
        " p 00011",
    ],
)
def test_each_name_the_label_promises_signs_in(bob_by_reference: User, client: Client, name: str) -> None:
    response = client.post("/sign-in/", {"username": name, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(bob_by_reference.pk)


def test_a_mobile_sign_in_name_works_whatever_the_spacing(cast: Cast, client: Client) -> None:
    """Sign-up names an account by its mobile exactly as the record spells it."""
    dan = cast.resident("dan")
    User.objects.filter(pk=dan.pk).update(username="07700 900108")
    Person.objects.filter(pk=dan.person_id).update(email="", mobile="07700 900108", mobile_normalised="+447700900108")
    response = client.post("/sign-in/", {"username": "07700900108", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(dan.pk)


def test_a_shared_email_or_mobile_signs_in_neither_joint_tenant_but_their_references_do(cast: Cast) -> None:
    alice, bob = cast.resident("alice"), cast.resident("bob")
    Person.objects.filter(pk__in=[alice.person_id, bob.person_id]).update(
        email="ashtons@example.org", mobile="07700 900123", mobile_normalised="+447700900123"
    )
    for shared in ["ashtons@example.org", "07700900123"]:
        response = Client().post("/sign-in/", {"username": shared, "password": PASSWORD})
        assert response.status_code == 200 and "Enter a correct sign-in name and password" in response.content.decode()
    for reference, user in [("P00010", alice), ("P00011", bob)]:
        client = Client()
        assert client.post("/sign-in/", {"username": reference, "password": PASSWORD}).status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


def test_an_exact_sign_in_name_wins_over_a_shared_email(cast: Cast, client: Client) -> None:
    """Joint tenants sharing an email: the first to sign up was given it as their sign-in name."""
    alice, bob = cast.resident("alice"), cast.resident("bob")
    Person.objects.filter(pk=bob.person_id).update(email="alice@example.org")
    User.objects.filter(pk=bob.pk).update(username="p00011")
    refused = Client().post("/sign-in/", {"username": "alice@example.org", "password": "bob's own password"})
    assert refused.status_code == 200
    client.post("/sign-in/", {"username": "Alice@Example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_staff_sign_in_names_keep_working(cast: Cast, client: Client) -> None:
    response = client.post("/sign-in/", {"username": "North@Staff.Example.org", "password": PASSWORD})
    assert response["Location"] == "/sign-in/code/"


def test_the_sign_in_page_says_which_names_work(cast: Cast, client: Client) -> None:
    page = client.get("/sign-in/").content.decode()
    assert "Email address, mobile number or customer reference" in page
    assert "If you share an email address or mobile number with someone you live with" in page


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


def test_an_unknown_or_shared_name_takes_one_password_hash_like_a_wrong_password(
    cast: Cast, client: Client, settings
) -> None:
    settings.PASSWORD_HASHERS = ["porch.accounts.tests.test_sign_in.CountingHasher"]
    CountingHasher.calls = 0
    client.post("/sign-in/", {"username": "nobody@example.org", "password": "a guess"})
    client.post("/sign-in/", {"username": "P00010", "password": "a guess"})
    Person.objects.filter(pk__in=[cast.resident("alice").person_id, cast.resident("bob").person_id]).update(
        email="ashtons@example.org"
    )
    client.post("/sign-in/", {"username": "ashtons@example.org", "password": "a guess"})
    assert CountingHasher.calls == 3


def test_staff_must_give_a_code_before_they_are_signed_in(cast: Cast, client: Client) -> None:
    response = client.post("/sign-in/", {"username": "north@staff.example.org", "password": PASSWORD})
    assert response["Location"] == "/sign-in/code/"
    assert client.get("/staff/").status_code == 302  # not signed in yet
    device = TOTPDevice.objects.get(user=cast.staff["north"])
    assert client.post("/sign-in/code/", {"code": current_code(device)})["Location"] == "/"
    assert client.get("/staff/").status_code == 200


def test_a_code_cannot_be_used_twice(cast: Cast) -> None:
    device = TOTPDevice.objects.get(user=cast.staff["north"])
    code = current_code(device)
    first, second = Client(), Client()
    for client in (first, second):
        client.post("/sign-in/", {"username": "north@staff.example.org", "password": PASSWORD})
    assert first.post("/sign-in/code/", {"code": code}).status_code == 302
    refused = second.post("/sign-in/code/", {"code": code})
    assert refused.status_code == 200
    assert "or it has just been used" in refused.content.decode()  # says to wait for the next code


def test_a_recovery_code_works_once(cast: Cast) -> None:
    user = cast.staff["north"]
    static = StaticDevice.objects.create(user=user, name="Recovery codes")
    static.token_set.create(token="abc123-def456")
    client = Client()
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert client.post("/sign-in/code/", {"code": "abc123-def456"}).status_code == 302
    again = Client()
    again.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert again.post("/sign-in/code/", {"code": "abc123-def456"}).status_code == 200


def test_staff_without_two_factor_must_set_it_up_first(cast: Cast, client: Client) -> None:
    user = User.objects.create_user(username="new@staff.example.org", password=PASSWORD, kind=User.Kind.STAFF)
    user.role_grants.create(role="customer_services")
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert client.get("/staff/")["Location"] == "/account/two-factor/"
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/two-factor/", {"code": current_code(device)})
    assert response["Location"] == "/account/two-factor/recovery-codes/"
    codes_page = client.get(response["Location"]).content.decode()
    assert codes_page.count("<code>") == 10
    assert client.get("/staff/").status_code == 200


def test_turning_on_two_factor_ends_other_sessions(cast: Cast) -> None:
    alice = cast.resident("alice")
    other = sign_in(Client(), alice)
    this = sign_in(Client(), alice)
    this.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    this.post("/account/two-factor/", {"code": current_code(device)})
    assert this.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_changing_the_password_ends_other_sessions(cast: Cast) -> None:
    alice = cast.resident("alice")
    other = sign_in(Client(), alice)
    this = sign_in(Client(), alice)
    response = this.post(
        "/account/password/",
        {
            "current-password": PASSWORD,
            "password": "a brand new passphrase",
            "password_again": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert this.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_sign_out_everywhere_else_needs_the_password_again(cast: Cast) -> None:
    alice = cast.resident("alice")
    other = sign_in(Client(), alice)
    this = sign_in(Client(), alice)
    response = this.post("/account/sign-out-elsewhere/")
    assert response["Location"].startswith("/account/confirm-password/")
    this.post("/account/confirm-password/", {"password": PASSWORD, "next": "/account/"})
    this.post("/account/sign-out-elsewhere/")
    assert this.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_an_idle_resident_is_signed_out_after_30_minutes(cast: Cast, client: Client) -> None:
    sign_in(client, cast.resident("alice"))
    client.get("/")
    session = client.session
    session["porch_last_seen"] = time.time() - 31 * 60
    session.save()
    assert client.get("/").status_code == 302


def test_staff_are_signed_out_after_15_idle_minutes(cast: Cast, client: Client) -> None:
    sign_in(client, cast.staff["north"])
    client.get("/staff/")
    session = client.session
    session["porch_last_seen"] = time.time() - 16 * 60
    session.save()
    assert client.get("/staff/").status_code == 302


def test_the_last_seen_time_is_written_at_most_once_a_minute(cast: Cast, client: Client) -> None:
    """Not a session write on every page: a moment ago counts as now for the idle limit."""
    sign_in(client, cast.resident("alice"))
    client.get("/")
    session = client.session
    session["porch_last_seen"] = seen = time.time() - 30
    session.save()
    client.get("/my-details/")
    assert client.session["porch_last_seen"] == seen
    session = client.session
    session["porch_last_seen"] = time.time() - 61
    session.save()
    client.get("/my-details/")
    assert client.session["porch_last_seen"] > time.time() - 5


def test_no_session_outlives_its_absolute_limit(cast: Cast, client: Client) -> None:
    sign_in(client, cast.resident("alice"))
    client.get("/")
    session = client.session
    session["porch_started"] = time.time() - 12 * 60 * 60 - 1
    session.save()
    assert client.get("/").status_code == 302


@pytest.fixture
def reset(settings, django_capture_on_commit_callbacks):
    """Ask for a reset link; the queued email goes out when the request commits, as the worker would send it."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    def ask(client: Client, email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/password-reset/", {"email": email})

    return ask


def test_password_reset_says_the_same_whether_or_not_the_account_exists(
    cast: Cast, client: Client, mailoutbox, reset
) -> None:
    known = reset(client, "alice@example.org")
    unknown = reset(client, "nobody@example.org")
    assert known["Location"] == unknown["Location"] == "/password-reset/sent/"
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("password", ["short pass", "password1234"])
def test_weak_passwords_are_refused(cast: Cast, password: str) -> None:
    client = sign_in(Client(), cast.resident("alice"))
    response = client.post(
        "/account/password/", {"current-password": PASSWORD, "password": password, "password_again": password}
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_a_post_without_a_csrf_token_is_refused(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/sign-in/", {"username": "alice@example.org", "password": PASSWORD}).status_code == 403


def test_argon2id_is_the_first_hasher() -> None:
    from django.conf import settings

    from porch.accounts.hashers import OwaspArgon2PasswordHasher

    hasher = OwaspArgon2PasswordHasher()
    encoded = hasher.encode("a long passphrase", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert "OwaspArgon2PasswordHasher" in settings.PASSWORD_HASHERS[0] or settings.PASSWORD_HASHERS[0].endswith(
        "MD5PasswordHasher"
    )


def test_password_reset_requests_are_limited_per_email_address(cast: Cast, mailoutbox, reset) -> None:
    for number in range(5):
        reset(Client(REMOTE_ADDR=f"192.0.2.{number}"), "alice@example.org")
    response = reset(Client(REMOTE_ADDR="192.0.2.99"), "Alice@Example.org")
    assert "Try again in 15 minutes" in response.content.decode()
    assert len(mailoutbox) == 5


def test_a_system_administrator_cannot_grant_roles_in_the_admin(cast: Cast) -> None:
    admin = cast.staff["admin"]
    client = sign_in(Client(), admin)
    page = client.get(f"/admin/accounts/user/{admin.pk}/change/").content.decode()
    assert 'name="role_grants-0-role"' not in page and 'name="patches"' not in page
    client.post(
        f"/admin/accounts/user/{admin.pk}/change/",
        {
            "is_active": "on",
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-0-role": "dpo",
        },
    )
    assert list(admin.role_grants.values_list("role", flat=True)) == ["sysadmin"]


def test_roles_are_granted_from_the_command_line_and_audited(cast: Cast) -> None:
    from django.core.management import call_command

    from porch.audit.models import AccessEvent

    call_command(
        "grant_role", "south@staff.example.org", "housing_officer", "--patch", "North", "--reason", "covering leave"
    )
    south = cast.staff["south"]
    assert set(south.patches.values_list("name", flat=True)) == {"North", "South"}
    assert AccessEvent.objects.filter(object_type="role_grant", object_id=str(south.uuid)).exists()


def test_each_set_up_session_gets_its_own_secret(cast: Cast) -> None:
    user = User.objects.create_user(username="new@staff.example.org", password=PASSWORD, kind=User.Kind.STAFF)
    first, second = sign_in(Client(), user), sign_in(Client(), user)

    def secret(client):
        return re.search(r'porch-secret">([A-Z0-9 ]+)<', client.get("/account/two-factor/").content.decode()).group(1)

    assert secret(first) != secret(second)
    assert secret(first) == secret(first)


def test_a_mobile_saved_on_the_record_signs_in_in_any_spelling(cast: Cast) -> None:
    """Person.save() keeps the mobile's one form in step, so a changed number works at once."""
    person = Person.objects.get(pk=cast.resident("carol").person_id)
    person.mobile = "+44 (0)7700 900 321"
    person.save(update_fields=["mobile"])
    client = Client()
    assert client.post("/sign-in/", {"username": "07700900321", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(cast.resident("carol").pk)
