from __future__ import annotations

import base64
import datetime
import re
import zlib
from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.utils import dateformat, timezone

from conftest import PASSWORD, Cast, sign_in
from porch.accounts import signup
from porch.accounts.models import ActivationLetter, SignupCode, SignupHelpRequest, User
from porch.core.sms import OutboxSmsBackend
from porch.housing.models import Membership, Person, normalise_reference

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def details(person: Person, reference: str, postcode: str) -> dict[str, str]:
    dob = person.date_of_birth or datetime.date(2000, 1, 1)
    return {
        "reference": reference,
        "date_of_birth_day": str(dob.day),
        "date_of_birth_month": str(dob.month),
        "date_of_birth_year": str(dob.year),
        "postcode": postcode,
    }


@pytest.fixture
def newcomer(cast: Cast) -> Person:
    """A joint tenant of the Coles with an email on record and no account yet."""
    cole = cast["cole"]
    person = Person.objects.create(
        housing_reference="P9001",
        first_name="Nia",
        last_name="Cole",
        date_of_birth=datetime.date(1990, 6, 15),
        email="nia@example.org",
    )
    Membership.objects.create(
        tenancy=cole.tenancy, person=person, role=Membership.Role.JOINT_TENANT, start_date=datetime.date(2020, 1, 1)
    )
    return person


@pytest.fixture(autouse=True)
def _worker_runs_at_once(settings) -> None:
    """Here the worker's part runs as soon as it is queued after commit, so these tests
    see what is sent; test_mail_from_worker.py runs the real worker and proves the
    request itself sends nothing."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def start(cast: Cast, django_capture_on_commit_callbacks):
    """Send the sign-up form for a person of a household (the Coles unless named); codes go out after commit."""

    def send(client: Client, person: Person, household: str = "cole", **overrides: str):
        tenancy = cast[household].tenancy
        data = details(person, tenancy.reference.lower(), tenancy.property.postcode.lower())
        data.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/sign-up/", data)

    return send


def code_from_email() -> str:
    match = re.search(r"code is (\d{6})", mail.outbox[-1].body)
    assert match
    return match.group(1)


def test_matching_details_send_a_code_to_the_email_on_record(
    cast: Cast, newcomer: Person, client: Client, start
) -> None:
    response = start(client, newcomer)
    assert response.status_code == 302 and response["Location"] == "/sign-up/code/"
    assert [message.to for message in mail.outbox] == [["nia@example.org"]]


def test_a_whole_sign_up_creates_a_resident_account_and_signs_in(
    cast: Cast, newcomer: Person, client: Client, start
) -> None:
    start(client, newcomer)
    assert client.post("/sign-up/code/", {"code": code_from_email()})["Location"] == "/sign-up/password/"
    response = client.post("/sign-up/password/", {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(person=newcomer)
    assert user.username == "nia@example.org" and user.kind == User.Kind.RESIDENT
    assert "Hello, Nia" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "wrong",
    [
        {"reference": "T999999"},
        {"postcode": "ZZ1 1ZZ"},
        {"date_of_birth_year": "1991"},
    ],
    ids=["reference", "postcode", "date of birth"],
)
def test_wrong_details_look_exactly_like_right_ones(cast: Cast, newcomer: Person, wrong: dict[str, str], start) -> None:
    right_client, wrong_client = Client(), Client()
    right = start(right_client, newcomer)
    mail.outbox.clear()
    mismatch = start(wrong_client, newcomer, **wrong)
    assert mismatch.status_code == right.status_code and mismatch["Location"] == right["Location"]
    assert mail.outbox == []
    right_page = right_client.get("/sign-up/code/").content.decode()
    wrong_page = wrong_client.get("/sign-up/code/").content.decode()
    strip = lambda page: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)  # noqa: E731
    assert strip(right_page) == strip(wrong_page)
    assert wrong_client.post("/sign-up/code/", {"code": "123456"}).status_code == 200


def test_household_members_cannot_sign_up(cast: Cast, client: Client, start) -> None:
    amy = cast["ashton"].people["amy"]
    start(client, amy, household="ashton")
    assert mail.outbox == [] and not SignupCode.objects.filter(person=amy).exists()


def test_people_who_already_have_an_account_get_no_new_code(cast: Cast, client: Client, start) -> None:
    carol = cast["cole"].people["carol"]
    start(client, carol)
    assert mail.outbox == [] and not SignupCode.objects.filter(person=carol).exists()


def test_the_sign_up_response_takes_the_same_time_either_way(cast: Cast, newcomer: Person, settings, start) -> None:
    import time

    settings.SIGNUP_RESPONSE_FLOOR_MS = 300
    timings = []
    for overrides in ({}, {"reference": "T999999"}):
        began = time.monotonic()
        start(Client(), newcomer, **overrides)
        timings.append(time.monotonic() - began)
    assert all(0.3 <= taken < 0.6 for taken in timings), timings


def test_a_code_works_once(cast: Cast, newcomer: Person, client: Client, start) -> None:
    start(client, newcomer)
    code = code_from_email()
    client.post("/sign-up/code/", {"code": code})
    client.post("/sign-up/password/", {"password": PASSWORD, "password_again": PASSWORD})
    client.logout()
    again = Client()
    session = again.session
    session["porch_signup_code"] = str(SignupCode.objects.get(person=newcomer).uuid)
    session.save()
    response = again.post("/sign-up/code/", {"code": code})
    assert response.status_code == 200 and "not correct or has expired" in response.content.decode()


def test_an_expired_code_is_refused(cast: Cast, newcomer: Person, client: Client, start) -> None:
    start(client, newcomer)
    code = code_from_email()
    SignupCode.objects.filter(person=newcomer).update(expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    response = client.post("/sign-up/code/", {"code": code})
    assert response.status_code == 200 and "not correct or has expired" in response.content.decode()


def test_wrong_codes_pause_further_tries(cast: Cast, newcomer: Person, client: Client, start) -> None:
    start(client, newcomer)
    for _ in range(5):
        client.post("/sign-up/code/", {"code": "000000"})
    response = client.post("/sign-up/code/", {"code": code_from_email()})
    assert "Try again in 15 minutes" in response.content.decode()


def test_a_person_with_only_a_mobile_gets_a_text(cast: Cast, newcomer: Person, client: Client, start) -> None:
    Person.objects.filter(pk=newcomer.pk).update(email="", mobile="07700900123")
    start(client, newcomer)
    assert mail.outbox == []
    assert [message.to for message in OutboxSmsBackend.outbox] == ["07700900123"]


def test_a_person_with_no_contact_details_gets_a_letter_in_the_print_queue(
    cast: Cast, newcomer: Person, client: Client, start
) -> None:
    Person.objects.filter(pk=newcomer.pk).update(email="", mobile="")
    start(client, newcomer)
    letter = ActivationLetter.objects.get(person=newcomer)
    assert bytes(letter.pdf).startswith(b"%PDF")
    code = letter.signup_code
    assert code.expires_at - code.created_at >= datetime.timedelta(days=13, hours=23)


def test_the_help_form_records_one_request_however_often_it_is_sent(client: Client, db) -> None:
    page = client.get("/sign-up/help/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"idempotency_key": key, "full_name": "Pat Jones", "contact": "pat@example.org"}
    client.post("/sign-up/help/", data)
    client.post("/sign-up/help/", data)
    assert SignupHelpRequest.objects.count() == 1


def test_the_help_form_shows_an_error_summary(client: Client, db) -> None:
    page = client.post("/sign-up/help/", {"idempotency_key": "x"}).content.decode()
    assert "There is a problem" in page and "Enter your full name" in page


def test_repeated_mismatches_pause_sign_up_for_that_reference(cast: Cast, newcomer: Person, start) -> None:
    for number in range(5):
        start(Client(REMOTE_ADDR=f"192.0.2.{number}"), newcomer, postcode="ZZ1 1ZZ")
    response = start(Client(REMOTE_ADDR="192.0.2.99"), newcomer)
    assert "Try again in 15 minutes" in response.content.decode()
    assert mail.outbox == []


def test_a_letter_is_sent_once_and_its_code_works_from_a_new_visit(cast: Cast, newcomer: Person, start) -> None:
    Person.objects.filter(pk=newcomer.pk).update(email="", mobile="")
    start(Client(), newcomer)
    letter = ActivationLetter.objects.get(person=newcomer)
    letter.printed_at = letter.created_at
    letter.save()
    later = Client()
    start(later, newcomer)
    assert ActivationLetter.objects.filter(person=newcomer).count() == 1
    assert later.session["porch_signup_code"] == str(letter.signup_code.uuid)


def test_at_most_three_codes_a_day_and_never_an_earlier_code_to_a_new_visit(
    cast: Cast, newcomer: Person, start
) -> None:
    visits = [Client() for _ in range(5)]
    for visit in visits:
        start(visit, newcomer)
    assert len(mail.outbox) == 3
    issued = {str(code.uuid) for code in SignupCode.objects.filter(person=newcomer)}
    assert len(issued) == 3
    later_visits = {visit.session["porch_signup_code"] for visit in visits[3:]}
    assert later_visits.isdisjoint(issued)


def test_joint_tenants_sharing_an_email_sign_in_with_their_reference(cast: Cast, newcomer: Person, start) -> None:
    Person.objects.filter(pk=newcomer.pk).update(email="carol@example.org")
    client = Client()
    start(client, newcomer)
    client.post("/sign-up/code/", {"code": code_from_email()})
    client.post("/sign-up/password/", {"password": PASSWORD, "password_again": PASSWORD})
    assert User.objects.get(person=newcomer).username == "p9001"


def test_a_letter_code_worn_out_by_wrong_guesses_is_not_replaced_by_another_letter(
    cast: Cast, newcomer: Person, start
) -> None:
    Person.objects.filter(pk=newcomer.pk).update(email="", mobile="")
    start(Client(), newcomer)
    SignupCode.objects.filter(person=newcomer).update(failed_attempts=5)
    start(Client(), newcomer)
    assert ActivationLetter.objects.filter(person=newcomer).count() == 1


def test_spacing_a_reference_differently_does_not_reset_the_limit(cast: Cast, newcomer: Person, start) -> None:
    reference = cast["cole"].tenancy.reference
    spellings = [
        reference,
        f" {reference}",
        reference.lower(),
        f"{reference[:2]}\t{reference[2:]}",
        f"{reference[:3]}\u00a0{reference[3:]}",
    ]
    for number, spelling in enumerate(spellings):
        start(Client(REMOTE_ADDR=f"192.0.2.{number}"), newcomer, reference=spelling, postcode="ZZ1 1ZZ")
    response = start(Client(REMOTE_ADDR="192.0.2.99"), newcomer)
    assert "Try again in 15 minutes" in response.content.decode()


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting the password-hash checks it makes."""

    checks: ClassVar[int] = 0

    def verify(self, password: str, encoded: str) -> bool:
        type(self).checks += 1
        return bool(super().verify(password, encoded))


def test_a_code_typed_before_the_worker_has_sent_it_is_wrong_and_still_costs_one_hash(
    cast: Cast, newcomer: Person, client: Client, start, settings
) -> None:
    settings.TASKS = DATABASE_TASKS  # queued, and no worker running yet
    settings.PASSWORD_HASHERS = ["porch.accounts.tests.test_signup.CountingHasher"]
    start(client, newcomer)
    assert mail.outbox == []
    CountingHasher.checks = 0
    response = client.post("/sign-up/code/", {"code": "123456"})
    assert response.status_code == 200 and "not correct or has expired" in response.content.decode()
    assert CountingHasher.checks == 1  # the same work as for a wrong code, so the wait reveals nothing
    signup.signup_code_issue(SignupCode.objects.get(person=newcomer).pk)  # the worker's part
    assert client.post("/sign-up/code/", {"code": code_from_email()})["Location"] == "/sign-up/password/"


def test_a_code_is_made_and_sent_once_even_if_its_task_runs_twice(
    cast: Cast, newcomer: Person, client: Client, start, settings
) -> None:
    settings.TASKS = DATABASE_TASKS
    start(client, newcomer)
    pk = SignupCode.objects.get(person=newcomer).pk
    assert signup.signup_code_issue(pk) == "email"
    assert signup.signup_code_issue(pk) == "not needed"
    assert len(mail.outbox) == 1
    assert client.post("/sign-up/code/", {"code": code_from_email()})["Location"] == "/sign-up/password/"


@pytest.mark.parametrize(
    "meanwhile",
    [
        {"expires_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)},
        {"failed_attempts": 5},
    ],
    ids=["it expired while the worker was down", "it was worn out by guesses"],
)
def test_the_worker_does_not_send_a_code_that_can_no_longer_be_used(
    cast: Cast, newcomer: Person, client: Client, start, settings, meanwhile: dict[str, Any]
) -> None:
    settings.TASKS = DATABASE_TASKS
    start(client, newcomer)
    SignupCode.objects.filter(person=newcomer).update(**meanwhile)
    assert signup.signup_code_issue(SignupCode.objects.get(person=newcomer).pk) == "not needed"
    assert mail.outbox == []


def test_the_worker_does_not_send_a_code_to_someone_who_has_signed_up_since(
    cast: Cast, newcomer: Person, start, settings
) -> None:
    settings.TASKS = DATABASE_TASKS
    first, second = Client(), Client()
    start(first, newcomer)
    start(second, newcomer)
    codes = list(SignupCode.objects.filter(person=newcomer).order_by("pk"))
    signup.signup_code_issue(codes[0].pk)
    first.post("/sign-up/code/", {"code": code_from_email()})
    first.post("/sign-up/password/", {"password": PASSWORD, "password_again": PASSWORD})
    assert User.objects.filter(person=newcomer).exists()
    assert signup.signup_code_issue(codes[1].pk) == "not needed"
    assert len(mail.outbox) == 1


def test_a_code_the_mail_server_refused_is_never_sent_later(
    cast: Cast, newcomer: Person, client: Client, start, settings
) -> None:
    from porch.incidents.tests.servers import free_port

    settings.TASKS = DATABASE_TASKS
    start(client, newcomer)
    pk = SignupCode.objects.get(person=newcomer).pk
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port()},
        }
    }
    with pytest.raises(OSError):  # nothing listens there: the task fails, with the error in its result
        signup.signup_code_issue(pk)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert signup.signup_code_issue(pk) == "not needed"  # a code made once is never made or sent again
    assert mail.outbox == []


def pdf_text(pdf: bytes) -> str:
    """The lines of text drawn on the pages. ReportLab stores each page's drawing
    ASCII85-encoded and compressed; drawString writes each line as "(text) Tj"."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        drawing = zlib.decompress(base64.a85decode(stream.strip(), adobe=True))
        lines += [re.sub(rb"\\(.)", rb"\1", line) for line in re.findall(rb"\(((?:[^\\)]|\\.)*)\) Tj", drawing)]
    return "\n".join(line.decode("cp1252") for line in lines)


def test_the_letter_gives_its_date_where_to_go_and_a_code_that_works(
    cast: Cast, newcomer: Person, start, settings
) -> None:
    settings.PORTAL_URL = "https://portal.example.org/"
    Person.objects.filter(pk=newcomer.pk).update(email="", mobile="")
    start(Client(), newcomer)
    letter = ActivationLetter.objects.get(person=newcomer)
    text = pdf_text(bytes(letter.pdf))
    dated = timezone.localdate(letter.created_at)
    assert dateformat.format(dated, "j F Y") in text.splitlines()
    assert "1. Go to https://portal.example.org/sign-up/" in text
    assert f"2. Enter your tenancy reference ({cast['cole'].tenancy.reference}), date of birth" in text
    use_by = dateformat.format(dated + datetime.timedelta(days=14), "j F Y")
    assert f"The code works once. Use it by {use_by}." in text
    assert timezone.localtime(letter.signup_code.expires_at) > timezone.make_aware(
        datetime.datetime.combine(dated + datetime.timedelta(days=14), datetime.time(23, 59))
    )
    code = re.search(r"Your code is: (\d{6})", text).group(1)  # type: ignore[union-attr]
    later = Client()
    start(later, newcomer)  # a new visit, days later, with the letter in hand
    assert later.post("/sign-up/code/", {"code": code})["Location"] == "/sign-up/password/"


def test_the_reference_hint_looks_like_a_real_reference(client: Client, db) -> None:
    page = client.get("/sign-up/").content.decode()
    example = re.search(r"a letter from us, for example (\S+)\.", page).group(1)  # type: ignore[union-attr]
    assert re.fullmatch(r"T\d{7}", example) and normalise_reference(example) == example


def test_a_letter_whose_code_has_been_used_leaves_the_print_queue(cast: Cast, newcomer: Person, start) -> None:
    """Staff must never post a code somebody has already signed up with."""
    from django.utils import timezone

    Person.objects.filter(pk=newcomer.pk).update(email="", mobile="")
    start(Client(), newcomer)
    letter = ActivationLetter.objects.get(person=newcomer)
    front_desk = sign_in(Client(), cast.staff["cs"])
    assert str(letter.uuid) in front_desk.get("/staff/letters/").content.decode()
    SignupCode.objects.filter(pk=letter.signup_code_id).update(used_at=timezone.now())
    assert str(letter.uuid) not in front_desk.get("/staff/letters/").content.decode()
    assert front_desk.get(f"/staff/letters/{letter.uuid}/pdf/").status_code == 404
