"""The "Find a tenancy" page: pages of results, each page audited, and clear errors for
input that cannot be searched."""

from __future__ import annotations

from django.test import Client

from conftest import LONG_AGO, Cast, sign_in
from porch.audit.models import AccessEvent
from porch.housing.models import Property, Tenancy
from porch.staff.views import SEARCH_PAGE_SIZE


def many_homes(cast: Cast, count: int) -> list[str]:
    """`count` homes in the North patch sharing one postcode, their references in order."""
    block = cast["ashton"].tenancy.property.block
    references = []
    for number in range(count):
        home = Property.objects.create(
            block=block, address_line_1=f"{number} Rowan Walk", town="Exampleton", postcode="EX7 7RW"
        )
        reference = f"R{number:05d}"
        Tenancy.objects.create(reference=reference, property=home, kind=Tenancy.Kind.SOCIAL_RENT, start_date=LONG_AGO)
        references.append(reference)
    return references


def searches() -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(action="search").order_by("id"))


def test_results_come_in_pages_and_each_page_audits_what_it_shows(cast: Cast) -> None:
    references = many_homes(cast, SEARCH_PAGE_SIZE + 5)
    north = sign_in(Client(), cast.staff["north"])

    first = north.get("/staff/tenancies/", {"q": "ex7 7rw"}).content.decode()
    assert f"{SEARCH_PAGE_SIZE + 5} results" in first
    assert "Showing 1 to 50, by tenancy reference." in first
    assert references[SEARCH_PAGE_SIZE - 1] in first and references[SEARCH_PAGE_SIZE] not in first
    assert 'href="?q=ex7%207rw&amp;page=2" rel="next"' in first
    audited = searches()
    assert len(audited) == SEARCH_PAGE_SIZE
    assert {event.reason for event in audited} == {"search: ex7 7rw"}

    second = north.get("/staff/tenancies/", {"q": "ex7 7rw", "page": "2"}).content.decode()
    assert references[SEARCH_PAGE_SIZE] in second and references[0] not in second
    assert "Page 2 of 2" in second and 'rel="prev"' in second and 'rel="next"' not in second
    on_page_two = searches()[SEARCH_PAGE_SIZE:]
    seen = set(Tenancy.objects.filter(reference__in=references[SEARCH_PAGE_SIZE:]).values_list("uuid", flat=True))
    assert {str(event.object_id) for event in on_page_two} == {str(code) for code in seen}


def test_a_page_number_out_of_range_or_not_a_number_shows_a_real_page(cast: Cast) -> None:
    references = many_homes(cast, SEARCH_PAGE_SIZE + 1)
    north = sign_in(Client(), cast.staff["north"])
    assert (
        references[SEARCH_PAGE_SIZE] in north.get("/staff/tenancies/", {"q": "EX77RW", "page": "99"}).content.decode()
    )
    assert references[0] in north.get("/staff/tenancies/", {"q": "EX77RW", "page": "x'--"}).content.decode()


def test_one_page_of_results_has_no_page_links(cast: Cast) -> None:
    page = sign_in(Client(), cast.staff["cs"]).get("/staff/tenancies/", {"q": "Ash House"}).content.decode()
    assert "4 results" in page and "govuk-pagination" not in page and "Showing" not in page


def test_a_search_that_finds_nothing_is_audited_once(cast: Cast) -> None:
    page = sign_in(Client(), cast.staff["south"]).get("/staff/tenancies/", {"q": "T000001"}).content.decode()
    assert "0 results" in page and "Tenancies outside your patch are not shown" in page
    assert [(event.reason, event.object_id) for event in searches()] == [("search: T000001", "")]


def test_input_that_cannot_be_searched_gets_a_clear_error_and_no_search(cast: Cast) -> None:
    north = sign_in(Client(), cast.staff["north"])
    for term, error in [
        ("!!!", "Enter a reference, postcode, name or address, using letters or numbers"),
        ("a", "Enter at least 2 characters"),
        ("x" * 101, "Enter no more than 100 characters"),
        ("T0\x0000001", "Null characters are not allowed."),
        ("", "Enter something to search for"),
    ]:
        response = north.get("/staff/tenancies/", {"q": term})
        page = response.content.decode()
        assert response.status_code == 200, term
        assert "<title>Error: Find a tenancy" in page and error in page, term
        assert "result" not in page, term
    assert searches() == []
