"""The named test cast.

Ash House (patch North) holds three households and a homeowner:
  - the Ashtons: Alice (lead tenant) and Bob (joint tenant), with Amy (household member)
  - Carol Cole (lead tenant), next door
  - Dan Dunn (leaseholder)
  - Erin Evans, a former tenant whose tenancy ended last year
Birch Court (patch South) holds Sam Smith.
Staff: a housing officer in each patch, customer services, an ASB officer, a DPO
and a system administrator, each signed in with two-factor authentication.

Every household's personal data and documents carry a unique canary marker, so
the canary crawl can tell if one household's data reaches another.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from porch.accounts.actors import forget_found
from porch.accounts.models import User
from porch.core import rls
from porch.core.modules import probe_ids
from porch.core.roles import StaffRole
from porch.documents.models import Document, DocumentType
from porch.documents.samples import sample_pdf
from porch.housing.models import Block, Estate, Membership, Patch, Person, Property, Tenancy


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """With DATABASE_WALL_ROLE set (PostgreSQL), the test database gets the wall and every
    request the tests make runs as that role, behind it (porch.core.rls, ADR 0032). The tests'
    own setting up and checking run as the tables' owner."""
    if not rls.is_on(connection):
        return
    role = connection.ops.quote_name(django_settings.DATABASE_WALL_ROLE)
    with django_db_blocker.unblock(), connection.cursor() as cursor:  # noqa: TID251 - a role for the test database
        # A role belongs to the whole server: the test processes may make it at once.
        cursor.execute(
            f"DO $$ BEGIN CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
        rls.install(connection, django_settings.DATABASE_WALL_ROLE)
    _count_the_applications_queries_only()


def _count_the_applications_queries_only() -> None:
    """The query-count tests pin what a page asks of the database; behind the wall each request
    also says who is asking, a few statements whatever the page (a cost for bench/ to weigh), which
    these counts leave out."""
    captured = CaptureQueriesContext.captured_queries.fget  # type: ignore[attr-defined]

    def applications(self: CaptureQueriesContext) -> list[dict[str, Any]]:
        return [query for query in captured(self) if not query["sql"].startswith(rls.TAG)]

    CaptureQueriesContext.captured_queries = property(applications)  # type: ignore[method-assign,assignment]


PASSWORD = "correct horse battery staple"
TODAY = datetime.date.today()
LAST_YEAR = TODAY - datetime.timedelta(days=365)
LONG_AGO = datetime.date(2015, 4, 1)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any, tmp_path: Any, monkeypatch: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SIGNUP_RESPONSE_FLOOR_MS = 0
    settings.SMS_BACKEND = "porch.core.sms.OutboxSmsBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    from porch.audit.append import forget as forget_audit_place
    from porch.core.sms import OutboxSmsBackend
    from porch.rollout.switches import forget

    OutboxSmsBackend.outbox.clear()
    forget()
    # Switches are remembered until a test (or the code throwing one) forgets them: remembered
    # for half a second, a page's query count would depend on how quickly it followed the last
    # request, and on a loaded machine a query-count test would fail now and then.
    monkeypatch.setattr("porch.rollout.switches.SWITCH_MEMORY_SECONDS", 3600)
    forget_audit_place()  # each test starts from an emptied database: no chain ends where it did
    forget_found()  # nor are a patch's households what the database found for an earlier test


def pdf_bytes(text: str) -> bytes:
    """A small real PDF whose text stays findable in its bytes (the canary markers)."""
    return sample_pdf(text)


@dataclass
class Household:
    key: str
    tenancy: Tenancy
    people: dict[str, Person]
    users: dict[str, User]
    documents: dict[str, Document]
    marker: str

    @property
    def codes(self) -> list[str]:
        """Every module's ids for this household (Module.probe_ids)."""
        return probe_ids(self.tenancy)


@dataclass
class Cast:
    households: dict[str, Household]
    staff: dict[str, User] = field(default_factory=dict)
    types: dict[str, DocumentType] = field(default_factory=dict)
    patches: dict[str, Patch] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Household:
        return self.households[key]

    def resident(self, name: str) -> User:
        for household in self.households.values():
            if name in household.users:
                return household.users[name]
        raise KeyError(name)


def make_document(
    tenancy: Tenancy, doc_type: DocumentType, title: str, marker: str, addressee: Person | None = None
) -> Document:
    content = pdf_bytes(f"{title} {marker}")
    return Document.objects.create(
        tenancy=tenancy,
        addressee=addressee,
        type=doc_type,
        title=f"{title} {marker}",
        file=ContentFile(content, name="document.pdf"),
        content_type="application/pdf",
        size=len(content),
    )


def make_household(
    key: str,
    block: Block,
    number: int,
    members: list[tuple[str, str, str]],
    types: dict[str, DocumentType],
    *,
    kind: str = Tenancy.Kind.SOCIAL_RENT,
    ended: bool = False,
) -> Household:
    marker = f"CANARY{key.upper()}{number:03d}"
    home = Property.objects.create(
        block=block, address_line_1=f"{number} {block.name} {marker}", town="Exampleton", postcode=f"EX{number} 1AA"
    )
    tenancy = Tenancy.objects.create(
        reference=f"T{number:06d}",
        property=home,
        kind=kind,
        start_date=LONG_AGO,
        end_date=LAST_YEAR if ended else None,
    )
    people: dict[str, Person] = {}
    users: dict[str, User] = {}
    for index, (name, role, surname) in enumerate(members):
        person = Person.objects.create(
            housing_reference=f"P{number:04d}{index}",
            first_name=f"{name.capitalize()}",
            last_name=f"{surname}{marker}",
            date_of_birth=datetime.date(1980, 1, 1 + index + number % 20),
            email=f"{name}@example.org" if role != Membership.Role.HOUSEHOLD_MEMBER else "",
        )
        Membership.objects.create(
            tenancy=tenancy, person=person, role=role, start_date=LONG_AGO, end_date=LAST_YEAR if ended else None
        )
        people[name] = person
        if role in Membership.ACCOUNT_ROLES:
            users[name] = User.objects.create_user(
                username=f"{name}@example.org",
                email=f"{name}@example.org",
                password=PASSWORD,
                kind=User.Kind.RESIDENT,
                person=person,
            )
    lead = next(iter(people.values()))
    documents = {
        "letter": make_document(tenancy, types["letter"], "Rent letter", marker),
        "addressed": make_document(tenancy, types["letter"], "Personal letter", marker, addressee=lead),
        "note": make_document(tenancy, types["note"], "Internal note", marker),
        "asb": make_document(tenancy, types["asb"], "ASB case file", marker),
        "agreement": make_document(tenancy, types["agreement"], "Tenancy agreement", marker),
    }
    return Household(key, tenancy, people, users, documents, marker)


def make_staff(username: str, roles: list[str], patches: list[Patch]) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        kind=User.Kind.STAFF,
        training_completed_on=TODAY - datetime.timedelta(days=30),
    )
    for role in roles:
        user.role_grants.create(role=role)
    user.patches.set(patches)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


@pytest.fixture
def cast(db: Any) -> Cast:
    north = Patch.objects.create(name="North")
    south = Patch.objects.create(name="South")
    ash = Block.objects.create(name="Ash House", estate=Estate.objects.create(name="Elm Estate", patch=north))
    birch = Block.objects.create(name="Birch Court", estate=Estate.objects.create(name="Oak Estate", patch=south))
    types = {
        "letter": DocumentType.objects.get(name="Letter"),
        "agreement": DocumentType.objects.get(name="Tenancy agreement"),
        "note": DocumentType.objects.get(name="Internal note"),
        "asb": DocumentType.objects.get(name="ASB case file"),
    }
    types["letter"].resident_visible = True
    types["letter"].save()
    R = Membership.Role
    households = {
        "ashton": make_household(
            "ashton",
            ash,
            1,
            [
                ("alice", R.LEAD_TENANT, "Ashton"),
                ("bob", R.JOINT_TENANT, "Ashton"),
                ("amy", R.HOUSEHOLD_MEMBER, "Ashton"),
            ],
            types,
        ),
        "cole": make_household("cole", ash, 2, [("carol", R.LEAD_TENANT, "Cole")], types),
        "dunn": make_household("dunn", ash, 3, [("dan", R.HOMEOWNER, "Dunn")], types, kind=Tenancy.Kind.LEASEHOLD),
        "evans": make_household("evans", ash, 4, [("erin", R.LEAD_TENANT, "Evans")], types, ended=True),
        "smith": make_household("smith", birch, 5, [("sam", R.LEAD_TENANT, "Smith")], types),
    }
    staff = {
        "north": make_staff("north@staff.example.org", [StaffRole.HOUSING_OFFICER], [north]),
        "south": make_staff("south@staff.example.org", [StaffRole.HOUSING_OFFICER], [south]),
        "cs": make_staff("cs@staff.example.org", [StaffRole.CUSTOMER_SERVICES], []),
        "asb": make_staff("asb@staff.example.org", [StaffRole.ASB_OFFICER], []),
        "dpo": make_staff("dpo@staff.example.org", [StaffRole.DPO], []),
        "admin": make_staff("admin@staff.example.org", [StaffRole.SYSADMIN], []),
    }
    open_pilot(north, south)
    return Cast(households=households, staff=staff, types=types, patches={"north": north, "south": south})


@pytest.fixture
def with_every_module(cast: Cast) -> Cast:
    """Every household with what each module makes for a test household, carrying its marker
    (Module.synthetic): rent accounts with statements and a card payment, a notification, a
    complaint with a published update... so the crawl reaches every module's pages and files."""
    from porch.core.modules import synthetic_records_create

    for household in cast.households.values():
        synthetic_records_create(household.tenancy, household.marker)
    return cast


def open_pilot(*patches: Patch) -> None:
    """An open pilot cohort over the cast's patches, with every declared module switched on."""
    from porch.rollout.cohorts import cohort_switches
    from porch.rollout.models import Cohort, CohortHomes, CohortModule

    cohort = Cohort.objects.create(name="Pilot", status=Cohort.Status.OPEN)
    for patch in patches:
        CohortHomes.objects.create(cohort=cohort, patch=patch)
    for switch in cohort_switches():
        CohortModule.objects.create(cohort=cohort, module=switch.key, enabled=True)


def sign_in(client: Client, user: User) -> Client:
    """Sign a user in; staff also pass two-factor authentication."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_user(cast: Cast) -> Any:
    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make


@pytest.fixture(params=["as-configured", "no-wall"])
def with_and_without_the_wall(request: Any, settings: Any) -> None:
    """Runs a test as the suite is configured and again with the database wall's role unset:
    on PostgreSQL behind the wall new rows go in by columns, without it by COPY (porch.core.bulk)."""
    if request.param == "no-wall":
        settings.DATABASE_WALL_ROLE = ""
