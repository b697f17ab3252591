from __future__ import annotations

from django.test import Client

from conftest import Cast, sign_in


def test_setting_up_two_step_sign_in_does_not_mention_recovery_codes_before_they_exist(cast: Cast) -> None:
    page = sign_in(Client(), cast.resident("alice")).get("/account/two-factor/").content.decode()
    assert "Set up two-step sign-in" in page
    assert "recovery code" not in page.lower()


def test_changing_the_password_asks_for_the_current_one_by_name(cast: Cast) -> None:
    page = sign_in(Client(), cast.resident("alice")).get("/account/password/").content.decode()
    assert "Your current password" in page and "Create a password" in page
