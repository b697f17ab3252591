"""The canary crawl: each resident crawls everything they can reach, and tries
every URL pattern with every other household's ids. No other household's
canary marker may appear in any page or file."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Cast, sign_in
from porch.core.isolation import crawl

RESIDENTS = [
    ("ashton", "alice"),
    ("ashton", "bob"),
    ("cole", "carol"),
    ("dunn", "dan"),
    ("evans", "erin"),
    ("smith", "sam"),
]


def other_households_seen(cast: Cast, client, household: str, resident: str) -> list[Any]:
    """The resident crawls everything they can reach and every pattern filled with the other
    households' ids: what of the others' markers they met."""
    others = [h for key, h in cast.households.items() if key != household]
    sign_in(client, cast.resident(resident))
    return crawl(
        client,
        foreign_markers=[h.marker for h in others],
        foreign_codes=[code for h in others for code in h.codes],
    )


@pytest.mark.parametrize(("household", "resident"), RESIDENTS)
def test_no_resident_sees_another_households_canary(
    with_every_module: Cast, client, household: str, resident: str
) -> None:
    assert other_households_seen(with_every_module, client, household, resident) == []


def test_the_crawl_reaches_the_residents_own_documents(with_every_module: Cast, client) -> None:
    """A crawl that saw nothing would prove nothing: check it finds Alice's own data, in her
    documents, her rent account and its statements as PDF and CSV, and her notifications."""
    ashton = with_every_module["ashton"]
    sign_in(client, with_every_module.resident("alice"))
    seen = crawl(client, foreign_markers=[ashton.marker], foreign_codes=[])
    urls = {leak.url for leak in seen}
    assert f"/documents/{ashton.documents['letter'].uuid}/download/" in urls
    assert f"/documents/{ashton.documents['addressed'].uuid}/download/" in urls
    assert "/" in urls and "/notifications/" in urls
    account = ashton.tenancy.money_accounts.get()
    assert f"/rent/{account.uuid}/" in urls
    statements = [url for url in urls if url.startswith(f"/rent/{account.uuid}/statement/?")]
    assert {url.rsplit("format=", 1)[1] for url in statements} == {"pdf", "csv"}
    complaint = ashton.tenancy.complaints.get()
    assert f"/complaints/{complaint.uuid}/" in urls
    thread = ashton.tenancy.message_threads.get()
    assert f"/messages/{thread.uuid}/" in urls
    attached = thread.entries.exclude(attachment="").get()
    assert f"/messages/files/{attached.uuid}/" in urls


def test_a_joint_tenant_does_not_see_a_letter_addressed_to_the_other(cast: Cast, client) -> None:
    ashton = cast["ashton"]
    sign_in(client, cast.resident("bob"))
    response = client.get(f"/documents/{ashton.documents['addressed'].uuid}/download/")
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["note", "asb", "agreement"])
def test_internal_and_asb_documents_never_reach_residents(cast: Cast, client, kind: str) -> None:
    ashton = cast["ashton"]
    sign_in(client, cast.resident("alice"))
    assert client.get(f"/documents/{ashton.documents[kind].uuid}/download/").status_code == 404
    assert ashton.documents[kind].title not in client.get("/documents/").content.decode()


def test_staff_in_one_patch_see_nothing_of_another(cast: Cast, client) -> None:
    south = [h for key, h in cast.households.items() if key != "smith"]
    sign_in(client, cast.staff["south"])
    leaks = crawl(
        client,
        start="/staff/",
        foreign_markers=[h.marker for h in south],
        foreign_codes=[code for h in south for code in h.codes],
    )
    assert leaks == []


def test_a_joining_member_sees_nothing_the_household_had_before_they_joined(cast: Cast, client) -> None:
    """A joint tenant who joined a month ago crawls everything: the household's earlier
    whole-tenancy papers (their own marker) never appear, nor anyone else's."""
    import datetime

    from conftest import PASSWORD, TODAY, make_document
    from porch.accounts.models import User
    from porch.documents.models import Document
    from porch.housing.models import Membership, Person

    ashton = cast["ashton"]
    joined = TODAY - datetime.timedelta(days=30)
    earlier = [
        make_document(ashton.tenancy, cast.types["letter"], title, "CANARYBEFOREJOINING")
        for title in ("Rent statement", "Arrears letter")
    ]
    Document.objects.filter(pk__in=[d.pk for d in earlier]).update(dated=joined - datetime.timedelta(days=1))
    person = Person.objects.create(housing_reference="P90002", first_name="Jo", last_name="Joiner")
    Membership.objects.create(tenancy=ashton.tenancy, person=person, role="joint_tenant", start_date=joined)
    user = User.objects.create_user(username="jo@example.org", password=PASSWORD, kind="resident", person=person)
    others = [h for key, h in cast.households.items() if key != "ashton"]

    sign_in(client, user)
    leaks = crawl(
        client,
        foreign_markers=["CANARYBEFOREJOINING", *(h.marker for h in others)],
        foreign_codes=[str(d.uuid) for d in earlier] + [code for h in others for code in h.codes],
    )
    assert leaks == []
    # The crawl did reach the household's papers from after they joined.
    assert client.get(f"/documents/{ashton.documents['letter'].uuid}/download/").status_code == 200


def test_foreign_ids_go_into_every_pattern_the_crawler_may_open_and_no_other(cast: Cast, client) -> None:
    """A pattern whose audience refuses the crawler is refused before its view runs, whatever the
    id (the route sweep proves the refusal for every route and role), so the crawl fills only
    the patterns the crawler's audience admits: every resident page with an id, for a resident."""
    from porch.accounts.actors import actor_for_user
    from porch.core.isolation import probe_templates

    resident = set(probe_templates(actor_for_user(cast.resident("alice"), verified=True)))
    dpo = set(probe_templates(actor_for_user(cast.staff["dpo"], verified=True)))
    assert {"/documents/{code}/download/", "/rent/{code}/", "/complaints/{code}/"} <= resident
    assert not any(template.startswith("/staff/") for template in resident)
    assert "/staff/complaints/{code}/" in dpo and "/complaints/{code}/" not in dpo
    assert len(probe_templates(None)) > len(resident | dpo)
