"""Access follows the record at once: an ending or a move applied from the housing system
takes the household's pages away on the person's next request, ends their sessions, and is
in the audit log; a new tenancy of a home starts with nothing from the one before."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.documents.models import Document
from porch.feed.tests.files import applied, csv_bytes, memberships, people, tenancies
from porch.housing.models import Membership, Property, Tenancy

TODAY = datetime.date.today()
LONG_AGO = "2000-01-01"


def _with_references(cast: Cast) -> None:
    """The cast as the housing system knows it: each membership and home with its reference."""
    for membership in Membership.objects.select_related("person"):
        membership.hms_reference = f"M-{membership.person.housing_reference}"
        membership.save(update_fields=["hms_reference"])
    for home in Property.objects.all():
        home.hms_reference = f"PR-{home.pk}"
        home.save(update_fields=["hms_reference"])


def _fresh(cast: Cast, who: str) -> Client:
    """Signed in again, as the person would after being signed out (their stamp read afresh)."""
    user = cast.resident(who)
    user.refresh_from_db()
    return sign_in(Client(), user)


def _ending(cast: Cast, who: str, end: datetime.date) -> bytes:
    person = cast["ashton"].people[who]
    membership = Membership.objects.get(person=person)
    row = (
        membership.hms_reference,
        cast["ashton"].tenancy.reference,
        person.housing_reference,
        membership.role,
        membership.start_date.isoformat(),
        end.isoformat(),
    )
    return memberships(row)


def test_a_signed_in_former_joint_tenant_loses_the_household_on_their_next_request(cast: Cast) -> None:
    _with_references(cast)
    bob = sign_in(Client(), cast.resident("bob"))
    letter = cast["ashton"].documents["letter"]
    assert bob.get(f"/documents/{letter.uuid}/download/").status_code == 200
    batch = applied("memberships", _ending(cast, "bob", TODAY))
    assert batch.changed == 1
    assert bob.get(f"/documents/{letter.uuid}/download/").status_code in (302, 404)
    assert bob.get("/documents/").status_code == 302  # signed out: the session ended
    bob_again = _fresh(cast, "bob")
    assert bob_again.get(f"/documents/{letter.uuid}/download/").status_code == 404
    assert letter.title not in bob_again.get("/documents/").content.decode()
    # Alice, who stays, is not signed out.
    alice = _fresh(cast, "alice")
    assert alice.get(f"/documents/{letter.uuid}/download/").status_code == 200
    event = AccessEvent.objects.filter(object_type="tenancy", subject=cast["ashton"].people["bob"]).latest("id")
    assert event.actor_role == "feed" and "end_date changed" in event.reason


def test_an_ending_dated_later_takes_effect_that_day_and_signs_nobody_out_now(cast: Cast) -> None:
    _with_references(cast)
    bob = sign_in(Client(), cast.resident("bob"))
    applied("memberships", _ending(cast, "bob", TODAY + datetime.timedelta(days=30)))
    assert bob.get("/documents/").status_code == 200


def test_a_tenancy_ended_from_the_housing_system_signs_its_household_out(cast: Cast, settings) -> None:
    settings.FEED_MAX_ENDING_SHARE = 1  # one of the cast's four tenancies: not a large batch here
    _with_references(cast)
    alice = sign_in(Client(), cast.resident("alice"))
    ashton = cast["ashton"].tenancy
    home = Property.objects.get(pk=ashton.property_id)
    batch = applied(
        "tenancies", tenancies((ashton.reference, home.hms_reference, ashton.start_date.isoformat(), TODAY.isoformat()))
    )
    assert batch.changed == 1
    assert alice.get("/documents/").status_code == 302
    assert (
        _fresh(cast, "alice").get(f"/documents/{cast['ashton'].documents['letter'].uuid}/download/").status_code == 404
    )


def test_a_new_tenancy_of_a_home_starts_with_nothing_from_the_one_before(cast: Cast, settings) -> None:
    settings.FEED_MAX_ENDING_SHARE = 1
    _with_references(cast)
    ashton = cast["ashton"].tenancy
    home = Property.objects.get(pk=ashton.property_id)
    applied(
        "tenancies", tenancies((ashton.reference, home.hms_reference, ashton.start_date.isoformat(), TODAY.isoformat()))
    )
    applied("people", people(("P-NEW", "Nina", "Newcomer", "1990-05-05")))
    applied("tenancies", tenancies(("T-NEW", home.hms_reference, TODAY.isoformat(), "")), name="new.csv")
    applied("memberships", memberships(("M-NEW", "T-NEW", "P-NEW", "lead_tenant", TODAY.isoformat(), "")))
    from porch.accounts.models import User
    from porch.housing.models import Person

    nina = User.objects.create_user(
        username="nina@example.org",
        password="x" * 20,
        kind=User.Kind.RESIDENT,
        person=Person.objects.get(housing_reference="P-NEW"),
    )
    client = sign_in(Client(), nina)
    listing = client.get("/documents/").content.decode()
    for document in Document.objects.filter(tenancy=ashton):
        assert document.title not in listing
        assert client.get(f"/documents/{document.uuid}/download/").status_code == 404
    assert Tenancy.objects.get(reference="T-NEW").property == home


def test_a_changed_email_on_an_account_tells_the_old_address(
    cast: Cast, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    alice = cast["ashton"].people["alice"]
    content = csv_bytes(["person_ref", "email"], [[alice.housing_reference, "alice.new@example.org"]])
    with django_capture_on_commit_callbacks(execute=True):
        batch = applied("contacts", content)
    assert batch.changed == 1
    alice.refresh_from_db()
    assert alice.email == "alice.new@example.org"
    told = [message for message in mail.outbox if message.to == ["alice@example.org"]]
    assert len(told) == 1 and "email address" in told[0].body and "alice.new@example.org" not in told[0].body
    # Amy has no account: nobody to tell, and her details still change.
    amy = cast["ashton"].people["amy"]
    applied("contacts", csv_bytes(["person_ref", "mobile"], [[amy.housing_reference, "07700 900999"]]), name="amy.csv")
    amy.refresh_from_db()
    assert amy.mobile_normalised == "+447700900999"


def test_a_column_left_out_is_left_as_it_is(cast: Cast) -> None:
    alice = cast["ashton"].people["alice"]
    applied("contacts", csv_bytes(["person_ref", "mobile"], [[alice.housing_reference, "07700 900111"]]))
    alice.refresh_from_db()
    assert alice.email == "alice@example.org" and alice.mobile == "07700 900111"


pytestmark = pytest.mark.django_db


def test_a_sign_up_code_sent_to_the_old_email_stops_working(cast: Cast) -> None:
    from django.utils import timezone

    from porch.accounts.models import SignupCode

    carol = cast["cole"].people["carol"]
    later = timezone.now() + datetime.timedelta(days=7)
    by_email = SignupCode.objects.create(
        person=carol, tenancy=cast["cole"].tenancy, channel="email", code_hash="x", expires_at=later
    )
    by_post = SignupCode.objects.create(
        person=carol, tenancy=cast["cole"].tenancy, channel="post", code_hash="y", expires_at=later
    )
    applied("contacts", csv_bytes(["person_ref", "email"], [[carol.housing_reference, "carol.new@example.org"]]))
    by_email.refresh_from_db()
    by_post.refresh_from_db()
    assert by_email.expires_at <= timezone.now() < by_post.expires_at
