"""Customer services answer "did my payment go through?" from the payment's or the tenancy's
reference: the payment, whether it was paid and whether it is on the account yet, and nothing
of the account's balance or history."""

from __future__ import annotations

from django.test import Client

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.housing.models import Tenancy
from porch.money.models import AccountTransaction, Payment

from .helpers import ashton_payment

LOOKUP = "/staff/payments/"


def cs(cast: Cast) -> Client:
    return sign_in(Client(), cast.staff["cs"])


def test_customer_services_see_whether_a_payment_went_through_and_nothing_of_the_account(cast: Cast) -> None:
    payment = Payment.objects.get(uuid=ashton_payment(cast))
    for term in (payment.reference, payment.reference.lower(), cast["ashton"].tenancy.reference):
        page = cs(cast).get(LOOKUP, {"q": term}).content.decode()
        assert payment.reference in page and "£25.00" in page and "Yes, paid" in page, term
        assert "Not yet: usually by the next working day" in page
        assert "Payment, thank you" not in page and "£98.40" not in page  # the account's history
    audited = AccessEvent.objects.filter(object_type="card_payment", object_id=str(payment.uuid), action="search")
    assert set(audited.values_list("subject_id", flat=True)) == {
        cast["ashton"].people["alice"].id,
        cast["ashton"].people["bob"].id,
    }


def test_a_payment_posted_by_the_housing_system_says_so(cast: Cast) -> None:
    payment = Payment.objects.get(uuid=ashton_payment(cast))
    AccountTransaction.objects.create(
        hms_reference="TX-CARD",
        account=payment.account,
        tenancy=payment.tenancy,
        posted_on=payment.created_at.date(),
        kind=AccountTransaction.Kind.PAYMENT,
        description="Card payment",
        amount_pence=-2500,
        payment_reference=payment.reference,
    )
    page = cs(cast).get(LOOKUP, {"q": payment.reference}).content.decode()
    assert "Not yet" not in page and ">Yes</td>" in page


def test_nothing_found_and_bad_input_are_said_plainly(cast: Cast) -> None:
    client = cs(cast)
    assert "No card payment has that reference" in client.get(LOOKUP, {"q": "PAY-NOSUCH00"}).content.decode()
    bad = client.get(LOOKUP, {"q": "PAY 12; DROP"}).content.decode()
    assert "govuk-error-summary" in bad and "letters, numbers and dashes only" in bad
    assert AccessEvent.objects.filter(object_type="card_payment", reason="payment lookup: PAY-NOSUCH00").exists()


def test_a_test_households_payment_is_not_listed(cast: Cast) -> None:
    payment = Payment.objects.get(uuid=ashton_payment(cast))
    Payment.objects.filter(pk=payment.pk).update(is_test=True)
    Tenancy.objects.filter(pk=payment.tenancy_id).update(is_test=True)
    assert "No card payment has that reference" in cs(cast).get(LOOKUP, {"q": payment.reference}).content.decode()


def test_residents_and_housing_officers_are_refused(cast: Cast) -> None:
    payment = Payment.objects.get(uuid=ashton_payment(cast))
    assert sign_in(Client(), cast.resident("alice")).get(LOOKUP, {"q": payment.reference}).status_code == 403
    north = sign_in(Client(), cast.staff["north"]).get(LOOKUP, {"q": payment.reference})
    assert north.status_code == 403 and payment.reference not in north.content.decode()
