"""The privacy page: who has looked at my record, in plain English."""

from __future__ import annotations

from django.test import Client

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.audit.models import AccessEvent
from porch.audit.services import record


def test_residents_see_staff_views_of_their_record_in_plain_english(cast: Cast) -> None:
    ashton = cast["ashton"]
    sign_in(Client(), cast.staff["north"]).get(f"/staff/tenancies/{ashton.tenancy.uuid}/")
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "Your housing officer looked at your tenancy record" in page
    assert "north@staff.example.org" not in page


def test_residents_do_not_see_their_own_visits_on_the_privacy_page(cast: Cast) -> None:
    client = sign_in(Client(), cast.resident("carol"))
    client.get("/my-details/")
    assert "Nobody else has looked at your information yet" in client.get("/privacy/").content.decode()


def test_a_former_joint_tenant_sees_nothing_of_the_household_after_leaving(cast: Cast) -> None:
    import datetime

    from porch.housing.models import Membership

    ashton = cast["ashton"]
    Membership.objects.filter(person=ashton.people["bob"]).update(end_date=datetime.date.today())
    sign_in(Client(), cast.resident("alice")).get(f"/documents/{ashton.documents['letter'].uuid}/download/")
    north = sign_in(Client(), cast.staff["north"])
    north.get("/staff/tenancies/", {"q": "Ashton"})
    north.get(f"/staff/tenancies/{ashton.tenancy.uuid}/")
    page = sign_in(Client(), cast.resident("bob")).get("/privacy/").content.decode()
    assert "Nobody else has looked at your information yet" in page


def test_staff_search_terms_never_reach_residents(cast: Cast) -> None:
    sign_in(Client(), cast.staff["north"]).get("/staff/tenancies/", {"q": "Ashton"})
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "Your housing officer found your tenancy record" in page
    assert "search:" not in page


def test_looks_at_internal_documents_never_show_on_a_residents_privacy_page(cast: Cast) -> None:
    ashton = cast["ashton"]
    asb = sign_in(Client(), cast.staff["asb"])
    assert asb.get(f"/documents/{ashton.documents['asb'].uuid}/download/").status_code == 200
    assert asb.get(f"/documents/{ashton.documents['note'].uuid}/download/").status_code == 200
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "Nobody else has looked at your information yet" in page
    sign_in(Client(), cast.staff["north"]).get(f"/documents/{ashton.documents['letter'].uuid}/download/")
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "Your housing officer downloaded a document" in page


def test_repeated_looks_in_one_visit_read_as_one_line(cast: Cast) -> None:
    bob = sign_in(Client(), cast.resident("bob"))
    for _ in range(4):
        bob.get("/")
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "Someone in your household looked at the home page with your household&#x27;s details (4 times)" in page
    assert page.count("looked at the home page") == 1


def test_the_privacy_page_says_whether_viewing_as_started_or_stopped(cast: Cast) -> None:
    from porch.portal.describe import describe

    started = AccessEvent(actor_role="customer_services,view_as", action="view_as", reason="started (call): CALL-1")
    stopped = AccessEvent(actor_role="customer_services,view_as", action="view_as", reason="ended: signed out")
    assert describe(started).endswith("started seeing your account as you see it")
    assert describe(stopped).endswith("stopped seeing your account as you see it")


def _staff_looks(cast: Cast, count: int) -> list[int]:
    """count looks by the housing officer at Alice's record, oldest first."""
    officer = actor_for_user(cast.staff["north"], verified=True)
    alice = cast["ashton"].people["alice"]
    for _ in range(count):
        record(actor=officer, action="view", object_type="person", subject_ids=[alice.id])
    return list(
        AccessEvent.objects.filter(subject=alice, actor=cast.staff["north"]).order_by("id").values_list("id", flat=True)
    )


def test_the_privacy_page_pages_by_position_older_and_back_to_newer(cast: Cast) -> None:
    ids = _staff_looks(cast, 65)
    alice = sign_in(Client(), cast.resident("alice"))
    alice.get("/my-details/")  # her own looks are left out, wherever they fall
    first = alice.get("/privacy/")
    assert first.context["page"].newer is None and first.context["page"].older == ids[-30]
    assert [e.id for e in first.context["page"].items] == ids[::-1][:30]
    second = alice.get("/privacy/", {"older": ids[-30]})
    assert [e.id for e in second.context["page"].items] == ids[::-1][30:60]
    third = alice.get("/privacy/", {"older": second.context["page"].older})
    assert [e.id for e in third.context["page"].items] == ids[::-1][60:] and third.context["page"].older is None
    back = alice.get("/privacy/", {"newer": third.context["page"].newer})
    assert [e.id for e in back.context["page"].items] == ids[::-1][30:60]
    assert "?newer=" in back.content.decode() and "?older=" in back.content.decode()


def test_a_position_that_is_not_one_of_my_records_shows_the_newest_page(cast: Cast) -> None:
    ids = _staff_looks(cast, 35)
    north = sign_in(Client(), cast.staff["north"])
    north.get(f"/staff/tenancies/{cast['cole'].tenancy.uuid}/")  # a record about Carol's household
    carols = AccessEvent.objects.exclude(subject=cast["ashton"].people["alice"]).latest("id").id
    alice = sign_in(Client(), cast.resident("alice"))
    for forged in ("abc", "-1", "99999999999999999999", str(carols)):
        for direction in ("older", "newer"):
            page = alice.get("/privacy/", {direction: forged}).context["page"]
            assert [e.id for e in page.items] == ids[::-1][:30], (direction, forged)


def test_odd_or_past_the_end_positions_show_the_newest_page(cast: Cast) -> None:
    ids = _staff_looks(cast, 35)
    alice = sign_in(Client(), cast.resident("alice"))
    for query in ({"older": "²"}, {"newer": "١٢"}, {"older": ids[0]}, {"newer": ids[-1]}):
        response = alice.get("/privacy/", query)
        assert response.status_code == 200, query
        assert [e.id for e in response.context["page"].items] == ids[::-1][:30], query
