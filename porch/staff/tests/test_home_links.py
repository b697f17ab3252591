"""Staff home and the menu show each staff member only pages they may open: every
link they are shown opens, and pages they may open are not hidden."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import Cast, sign_in
from porch.core.isolation import links_in

STAFF = ["north", "south", "cs", "asb", "dpo", "admin"]


def links_on_staff_home(client: Client) -> list[str]:
    page = client.get("/staff/")
    assert page.status_code == 200
    return [link for link in links_in(page.content.decode(), "/staff/") if not link.startswith("/static/")]


@pytest.mark.parametrize("who", STAFF)
def test_every_link_a_staff_member_is_shown_opens(cast: Cast, who: str) -> None:
    client = sign_in(Client(), cast.staff[who])
    refused = [link for link in links_on_staff_home(client) if client.get(link).status_code == 403]
    assert refused == []


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("north", ["/staff/outside-my-patch/", "/staff/tenancies/"], ["/staff/letters/", "/staff/sign-up-help/"]),
        ("asb", ["/staff/tenancies/"], ["/staff/letters/", "/staff/sign-up-help/", "/staff/outside-my-patch/"]),
        ("admin", ["/staff/document-types/"], ["/staff/tenancies/", "/staff/letters/", "/staff/sign-up-help/"]),
        ("cs", ["/staff/letters/", "/staff/sign-up-help/", "/staff/tenancies/"], ["/staff/document-types/"]),
    ],
)
def test_staff_see_the_links_of_their_role_and_not_the_others(
    cast: Cast, who: str, shown: list[str], hidden: list[str]
) -> None:
    links = links_on_staff_home(sign_in(Client(), cast.staff[who]))
    assert set(shown) <= set(links)
    assert not set(hidden) & set(links)


def test_the_admin_names_patches_in_plain_english(cast: Cast) -> None:
    page = sign_in(Client(), cast.staff["admin"]).get("/admin/").content.decode()
    assert "Patches" in page and "Patchs" not in page
