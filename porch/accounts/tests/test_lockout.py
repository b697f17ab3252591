"""Pauses after wrong passwords stop guessing without locking out the people
who share an address with the guesser, or the person being guessed at (ADR 0003)."""

from __future__ import annotations

import datetime
import time

from django.core import signing
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from conftest import PASSWORD, Cast, sign_in
from porch.accounts import devices
from porch.accounts.models import User
from porch.housing.models import Person

HOME = "198.51.100.7"  # a household, library or mobile network: many people, one address
ELSEWHERE = "203.0.113.66"
WRONG = "not the password"
CORRECT_OR_NOT = "Enter a correct sign-in name and password"
ACCOUNT_PAUSED = "too many tries to sign in to this account. For the next 15 minutes, you can only sign in"


def browser(address: str = HOME) -> Client:
    return Client(REMOTE_ADDR=address)


def try_sign_in(client: Client, name: str, password: str = PASSWORD) -> HttpResponse:
    return client.post("/sign-in/", {"username": name, "password": password})


def signed_in(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def text(response: HttpResponse) -> str:
    return response.content.decode()


def pause(name: str, address: str = ELSEWHERE) -> None:
    """Someone elsewhere guesses until signing in to the account on a new browser is paused."""
    guesser = browser(address)
    for _ in range(5):
        assert CORRECT_OR_NOT in text(try_sign_in(guesser, name, WRONG))
    assert try_sign_in(guesser, name, PASSWORD).status_code == 200  # even the right password


def used_before(client: Client, name: str) -> Client:
    """This browser signs in to the account, then signs out."""
    assert signed_in(try_sign_in(client, name))
    client.post("/sign-out/")
    return client


def test_wrong_passwords_for_one_resident_do_not_pause_another_on_the_same_address(cast: Cast) -> None:
    for _ in range(5):
        try_sign_in(browser(), "alice@example.org", WRONG)
    assert signed_in(try_sign_in(browser(), "bob@example.org"))


def test_a_browser_that_signed_in_before_still_signs_in_while_the_account_is_paused(cast: Cast) -> None:
    home = used_before(browser(), "alice@example.org")
    pause("alice@example.org", address=HOME)
    assert ACCOUNT_PAUSED in text(try_sign_in(browser(), "alice@example.org"))
    assert signed_in(try_sign_in(home, "alice@example.org"))


def test_a_browser_trusted_for_one_account_is_a_new_browser_for_another(cast: Cast) -> None:
    shared = used_before(browser(), "alice@example.org")
    pause("alice@example.org")
    pause("bob@example.org", address="203.0.113.67")
    assert ACCOUNT_PAUSED in text(try_sign_in(shared, "bob@example.org"))
    assert signed_in(try_sign_in(shared, "alice@example.org"))


def test_joint_tenants_sharing_a_computer_both_keep_working(cast: Cast) -> None:
    shared = used_before(used_before(browser(), "alice@example.org"), "bob@example.org")
    pause("alice@example.org")
    pause("bob@example.org", address="203.0.113.67")
    assert signed_in(try_sign_in(shared, "bob@example.org"))
    shared.post("/sign-out/")
    assert signed_in(try_sign_in(shared, "alice@example.org"))


def test_a_trusted_browser_that_keeps_getting_it_wrong_loses_its_trust(cast: Cast) -> None:
    home = used_before(browser(), "alice@example.org")
    pause("alice@example.org")
    for _ in range(5):
        assert CORRECT_OR_NOT in text(try_sign_in(home, "alice@example.org", WRONG))
    assert ACCOUNT_PAUSED in text(try_sign_in(home, "alice@example.org"))


class _Earlier(signing.TimestampSigner):
    """Signs as if long enough ago for the device cookie to have run out."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 181 * 24 * 60 * 60)


def test_a_forged_tampered_or_old_device_cookie_is_not_trusted(cast: Cast) -> None:
    alice = cast.resident("alice")
    genuine = used_before(browser(), "alice@example.org").cookies[devices.COOKIE].value
    for_bob = used_before(browser(), "bob@example.org").cookies[devices.COOKIE].value
    claim = {"a": alice.uuid.hex, "n": "guessed"}
    forged_elsewhere = signing.dumps(claim, salt=devices.SALT, key="another secret key, at least 32 characters")
    not_for_this = signing.dumps(claim, salt="another.purpose")
    bobs_signature_on_alice = ":".join([forged_elsewhere.split(":")[0], *for_bob.split(":")[1:]])
    flipped = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    too_old = _Earlier(salt=devices.SALT).sign_object(claim)
    pause("alice@example.org")
    for cookie in [forged_elsewhere, not_for_this, bobs_signature_on_alice, flipped, too_old, for_bob, "rubbish"]:
        client = browser()
        client.cookies[devices.COOKIE] = cookie
        assert ACCOUNT_PAUSED in text(try_sign_in(client, "alice@example.org")), cookie
    client = browser()
    client.cookies[devices.COOKIE] = genuine
    assert signed_in(try_sign_in(client, "alice@example.org"))


def test_the_device_cookie_is_signed_http_only_same_site_and_secure_over_https(cast: Cast, settings) -> None:
    settings.SESSION_COOKIE_SECURE = True  # as whenever DEBUG is off
    client = browser()
    try_sign_in(client, "alice@example.org")
    cookie = client.cookies[devices.COOKIE]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.RATE_LIMIT_DEVICE_DAYS * 24 * 60 * 60
    assert cast.resident("alice").email not in cookie.value


def test_a_pause_says_what_to_do(cast: Cast, settings) -> None:
    pause("alice@example.org")
    page = text(try_sign_in(browser(), "alice@example.org"))
    assert "There is a problem" in page
    assert (
        "There have been too many tries to sign in to this account. For the next 15 minutes, you can only "
        "sign in on a phone, tablet or computer you have signed in on before. You can also reset your password "
        f"or call us on {settings.LANDLORD_PHONE}."
    ) in page


def test_a_name_that_fits_no_account_is_paused_the_same_way(cast: Cast) -> None:
    for address in ["192.0.2.1", "192.0.2.2", "192.0.2.3"]:
        try_sign_in(browser(address), "07700 900999", WRONG)
    for address in ["192.0.2.4", "192.0.2.5"]:
        try_sign_in(browser(address), "+44 7700 900999", WRONG)
    assert ACCOUNT_PAUSED in text(try_sign_in(browser("192.0.2.6"), "07700900999", WRONG))


def test_every_way_of_naming_an_account_counts_towards_its_one_limit(cast: Cast) -> None:
    Person.objects.filter(pk=cast.resident("alice").person_id).update(
        mobile="07700 900123", mobile_normalised="+447700900123"
    )
    names = ["alice@example.org", "P00010", "07700900123", "ALICE@EXAMPLE.ORG", "p 0001 0"]
    for number, name in enumerate(names):
        assert CORRECT_OR_NOT in text(try_sign_in(browser(f"192.0.2.{number}"), name, WRONG))
    assert ACCOUNT_PAUSED in text(try_sign_in(browser("192.0.2.99"), "+44 7700 900123"))


def test_one_address_is_paused_only_after_many_people_s_worth_of_tries(cast: Cast, settings) -> None:
    regular = used_before(browser(), "sam@example.org")
    guesser = browser()
    for number in range(settings.RATE_LIMIT_ADDRESS_FAILURES):
        assert CORRECT_OR_NOT in text(try_sign_in(guesser, f"person{number}@example.org", "Summer2026!"))
    page = text(try_sign_in(browser(), "carol@example.org"))
    assert "There have been too many tries to sign in from your internet connection. For the next 15 minutes" in page
    assert signed_in(try_sign_in(browser(ELSEWHERE), "carol@example.org"))
    assert signed_in(try_sign_in(regular, "sam@example.org"))


def recovery_codes(user: User, *codes: str) -> None:
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    for code in codes:
        device.token_set.create(token=code)


def test_wrong_codes_for_one_staff_member_do_not_pause_another_in_the_same_office(cast: Cast) -> None:
    recovery_codes(cast.staff["south"], "south-code-1")
    north = browser()
    try_sign_in(north, "north@staff.example.org")
    for _ in range(5):
        north.post("/sign-in/code/", {"code": "not-a-code"})
    south = browser()
    assert try_sign_in(south, "south@staff.example.org")["Location"] == "/sign-in/code/"
    assert south.post("/sign-in/code/", {"code": "south-code-1"})["Location"] == "/"


def test_a_browser_that_signed_in_before_gets_past_a_paused_code_step(cast: Cast) -> None:
    recovery_codes(cast.staff["north"], "north-code-1", "north-code-2")
    office = browser()
    try_sign_in(office, "north@staff.example.org")
    assert office.post("/sign-in/code/", {"code": "north-code-1"})["Location"] == "/"
    office.post("/sign-out/")
    thief = browser(ELSEWHERE)  # knows the password, not the codes
    try_sign_in(thief, "north@staff.example.org")
    for _ in range(6):
        page = text(thief.post("/sign-in/code/", {"code": "not-a-code"}))
    assert ACCOUNT_PAUSED in page
    # A few minutes on: django-otp's own doubling delay after wrong codes (32 seconds
    # after 6) has passed, our pause for new browsers (15 minutes) has not.
    StaticDevice.objects.filter(user=cast.staff["north"]).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert ACCOUNT_PAUSED in text(thief.post("/sign-in/code/", {"code": "north-code-2"}))
    try_sign_in(office, "north@staff.example.org")
    assert office.post("/sign-in/code/", {"code": "north-code-2"})["Location"] == "/"


def test_a_trusted_browser_can_confirm_its_password_while_another_session_is_paused(cast: Cast) -> None:
    home = browser()
    try_sign_in(home, "alice@example.org")
    stolen = sign_in(browser(ELSEWHERE), cast.resident("alice"))  # a session without the device cookie
    for _ in range(6):
        page = text(stolen.post("/account/confirm-password/", {"password": WRONG, "next": "/account/"}))
    assert ACCOUNT_PAUSED in page
    response = home.post("/account/confirm-password/", {"password": PASSWORD, "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"


def sign_up_details(reference: str) -> dict[str, str]:
    return {
        "reference": reference,
        "date_of_birth_day": "1",
        "date_of_birth_month": "2",
        "date_of_birth_year": "1980",
        "postcode": "EX1 1AA",
    }


def test_trying_sign_up_for_three_residents_from_one_address_is_not_paused(cast: Cast) -> None:
    newcomer = browser()
    for reference in ["T0000006", "T0000007", "T0000008"]:
        for _ in range(2):  # a typo, then the right details
            response = newcomer.post("/sign-up/", sign_up_details(reference))
            assert response.status_code == 302 and response["Location"] == "/sign-up/code/"


def test_sign_up_from_one_address_is_paused_only_at_the_address_limit(cast: Cast, settings) -> None:
    for number in range(settings.RATE_LIMIT_ADDRESS_FAILURES):
        assert browser().post("/sign-up/", sign_up_details(f"T{number:07d}")).status_code == 302
    page = text(browser().post("/sign-up/", sign_up_details("T9999999")))
    assert "Try again in 15 minutes" in page


def test_password_reset_from_one_address_for_several_people_is_not_paused(cast: Cast) -> None:
    for name in ["alice", "bob", "carol", "dan", "sam", "nobody", "someone"]:
        response = browser().post("/password-reset/", {"email": f"{name}@example.org"})
        assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"


def test_a_browser_trusted_before_the_password_changed_is_a_new_browser_again(cast: Cast) -> None:
    """Someone who once knew the password and kept its cookies gets no tries from them later."""
    old = used_before(browser(), "alice@example.org")
    here = browser()
    assert signed_in(try_sign_in(here, "alice@example.org"))
    new = "a brand new password for alice"
    changed = here.post("/account/password/", {"current-password": PASSWORD, "password": new, "password_again": new})
    assert changed.status_code == 302
    here.post("/sign-out/")
    pause("alice@example.org")
    assert ACCOUNT_PAUSED in text(try_sign_in(old, "alice@example.org", new))
    assert signed_in(try_sign_in(here, "alice@example.org", new))  # the browser that changed it is trusted


def test_signing_out_everywhere_else_ends_the_trust_of_other_browsers(cast: Cast) -> None:
    old = used_before(browser(), "alice@example.org")
    here = browser()
    assert signed_in(try_sign_in(here, "alice@example.org"))
    here.post("/account/confirm-password/", {"password": PASSWORD})
    assert here.post("/account/sign-out-elsewhere/").status_code == 302
    here.post("/sign-out/")
    pause("alice@example.org")
    assert ACCOUNT_PAUSED in text(try_sign_in(old, "alice@example.org"))
    assert signed_in(try_sign_in(here, "alice@example.org"))  # the browser that asked is trusted afresh
