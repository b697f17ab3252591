"""Homeowners see their own service-charge invoices: the list on their account's page and each
invoice's breakdown of the block's shared costs and their share. Tenants in the same block,
other owners and a former owner of the home get 404; every look is audited."""

from __future__ import annotations

import datetime
import re
import sys

import pytest
from django.test import Client

from conftest import TODAY, Cast, make_household, sign_in
from porch.audit.models import AccessEvent
from porch.core.isolation import crawl
from porch.housing.models import Membership, Tenancy
from porch.money.models import RentAccount, ServiceChargeInvoice
from porch.money.templatetags.service_charges import share_words

from .helpers import an_account
from .invoice_helpers import BREAKDOWN, a_service_charge_account, an_invoice

pytestmark = pytest.mark.django_db


def client_for(cast: Cast, who: str) -> Client:
    return sign_in(Client(), cast.resident(who))


def invoice_url(invoice: ServiceChargeInvoice) -> str:
    return f"/rent/invoices/{invoice.uuid}/"


def dans_invoice(cast: Cast) -> ServiceChargeInvoice:
    return an_invoice(a_service_charge_account(cast["dunn"].tenancy))


def audited(**where: object) -> list[tuple[int | None, str]]:
    rows = AccessEvent.objects.filter(object_type="service_charge_invoice", **where).order_by("id")
    return list(rows.values_list("subject_id", "reason"))


@pytest.mark.parametrize(
    ("share", "words"), [("1/24", "4.17% (1/24)"), ("12.5%", "12.5%"), ("25%", "25%"), ("4.1667%", "4.17%")]
)
def test_a_share_is_said_as_a_percentage_with_the_fraction_as_written(share: str, words: str) -> None:
    assert share_words(share) == words


def test_the_owner_sees_his_invoices_newest_first_on_his_service_charge_account(cast: Cast) -> None:
    account = a_service_charge_account(cast["dunn"].tenancy)
    older = an_invoice(account, starts=datetime.date(2025, 10, 1))
    newer = an_invoice(account, starts=datetime.date(2026, 4, 1))
    page = client_for(cast, "dan").get(f"/rent/{account.uuid}/").content.decode()

    assert page.index(invoice_url(newer)) < page.index(invoice_url(older))
    assert "1 Apr 2026 to 30 Sep 2026" in page and "1 Oct 2025 to 31 Mar 2026" in page
    assert "Issued" in page and "1 Mar 2026" in page and "£550.00" in page
    dan = cast["dunn"].people["dan"].id
    assert audited() == [(dan, "in the list of invoices"), (dan, "in the list of invoices")]


def test_a_rent_account_has_no_invoices_section(cast: Cast) -> None:
    account = an_account(cast["ashton"].tenancy, ("Rent", 9840))
    page = client_for(cast, "alice").get(f"/rent/{account.uuid}/").content.decode()
    assert "Invoices" not in page and not audited()


def test_the_invoice_shows_each_shared_cost_his_share_and_the_total(cast: Cast) -> None:
    invoice = dans_invoice(cast)
    response = client_for(cast, "dan").get(invoice_url(invoice))
    assert response.status_code == 200
    page = re.sub(r"\s+", " ", response.content.decode())

    for heading, description, _, _, _ in BREAKDOWN:
        assert heading.label in page and description in page
    assert "£2,400.00" in page and "4.17% (1/24)" in page and "£100.00" in page  # common repairs
    assert "£6,000.00" in page and "4.5%" in page and "£270.00" in page  # insurance, shared by percentage
    assert re.search(r"Total</th>\s*<td[^>]*><strong>£550.00</strong>", page)
    assert f'href="/rent/{invoice.account.uuid}/pay/"' in page
    assert f'href="/rent/invoices/{invoice.uuid}/pdf/"' in page
    assert audited() == [(cast["dunn"].people["dan"].id, "invoice and its breakdown")]


@pytest.mark.parametrize("who", ["alice", "carol", "bob"])
def test_tenants_in_the_same_block_get_not_found(cast: Cast, who: str) -> None:
    invoice = dans_invoice(cast)
    client = client_for(cast, who)
    assert client.get(invoice_url(invoice)).status_code == 404
    assert client.get(f"{invoice_url(invoice)}pdf/").status_code == 404
    assert not audited()


def test_another_owner_gets_not_found(cast: Cast) -> None:
    invoice = dans_invoice(cast)
    R = Membership.Role
    owen = make_household(
        "owen",
        cast["dunn"].tenancy.property.block,
        6,
        [("owen", R.HOMEOWNER, "Owen")],
        cast.types,
        kind=Tenancy.Kind.LEASEHOLD,
    )
    client = sign_in(Client(), owen.users["owen"])
    assert client.get(invoice_url(invoice)).status_code == 404
    assert client.get(f"{invoice_url(invoice)}pdf/").status_code == 404


def test_a_former_owner_gets_not_found_from_the_day_the_sale_completes(cast: Cast) -> None:
    invoice = dans_invoice(cast)
    client = client_for(cast, "dan")
    assert client.get(invoice_url(invoice)).status_code == 200
    Membership.objects.filter(person=cast["dunn"].people["dan"]).update(end_date=TODAY)
    Tenancy.objects.filter(pk=cast["dunn"].tenancy.pk).update(end_date=TODAY)
    assert client.get(invoice_url(invoice)).status_code == 404
    assert client.get(f"{invoice_url(invoice)}pdf/").status_code == 404


def test_a_forged_id_gets_not_found(cast: Cast) -> None:
    dans_invoice(cast)
    account = RentAccount.objects.get()
    assert client_for(cast, "dan").get(f"/rent/invoices/{account.uuid}/").status_code == 404


def test_without_pango_the_pdf_link_shows_the_invoice_saying_pdfs_are_not_available(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now fails
    invoice = dans_invoice(cast)
    response = client_for(cast, "dan").get(f"{invoice_url(invoice)}pdf/")
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "PDF invoices are not available right now" in page and "Door entry panel replaced" in page
    assert audited() == [(cast["dunn"].people["dan"].id, "invoice and its breakdown")]


@pytest.mark.parametrize("who", ["carol", "alice"])
def test_the_canary_crawl_tries_the_owners_invoices_as_a_tenant_of_the_block_and_finds_nothing(
    cast: Cast, who: str
) -> None:
    """The invoice is among the household's probe ids, so the crawl fills every URL with it; the
    invoice page names the home, which carries the owner's household marker."""
    invoice = dans_invoice(cast)
    dunn = cast["dunn"]
    assert str(invoice.uuid) in dunn.codes
    assert dunn.marker in client_for(cast, "dan").get(invoice_url(invoice)).content.decode()
    leaks = crawl(client_for(cast, who), foreign_markers=[dunn.marker], foreign_codes=dunn.codes)
    assert leaks == []
