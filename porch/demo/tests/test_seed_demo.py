"""manage.py seed_demo and manage.py demo_code."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from porch.accounts.models import RoleGrant, User
from porch.demo import seed as demo
from porch.documents.models import Document, DocumentType
from porch.housing.models import Block, Estate, Membership, Patch, Person, Property, Tenancy

HOMES = 60


@pytest.fixture
def demo_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    # Argon2 at OWASP parameters is slow on purpose; the tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--homes", str(HOMES), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def membership(email: str) -> Membership:
    return Membership.objects.select_related("tenancy__property__block__estate__patch").get(person__email=email)


@pytest.mark.django_db
def test_seeding_creates_the_homes_and_the_named_cast(demo_settings) -> None:  # type: ignore[no-untyped-def]
    output = seed()

    assert Property.objects.count() == HOMES
    assert Patch.objects.filter(name__in=["North", "South"]).count() == 2
    assert Tenancy.objects.filter(end_date__isnull=True).count() == HOMES  # one current tenancy per home
    assert Tenancy.objects.filter(end_date__lt=timezone.localdate()).exists()
    assert all(p.postcode_normalised == p.postcode.replace(" ", "").upper() for p in Property.objects.all())
    assert Document.objects.count() >= 3 * Tenancy.objects.count()
    assert Document.objects.filter(addressee__isnull=False).exists()
    assert Block.objects.filter(estate__patch__name="South").exists()

    alice, bob, carol, dan, erin = (
        membership(demo.demo_email(name)) for name in ("alice", "bob", "carol", "dan", "erin")
    )
    first_block = Block.objects.filter(estate__patch__name="North").order_by("pk").first()
    for m in (alice, bob, carol, dan, erin):
        assert m.tenancy.property.block == first_block
        assert User.objects.get(username=m.person.email).person == m.person
        types = set(Document.objects.filter(tenancy=m.tenancy).values_list("type__name", flat=True))
        assert {"Internal note", "ASB case file", "Letter"} <= types
    assert alice.role == Membership.Role.LEAD_TENANT
    assert bob.role == Membership.Role.JOINT_TENANT and bob.tenancy == alice.tenancy
    assert carol.role == Membership.Role.LEAD_TENANT and carol.tenancy != alice.tenancy
    assert dan.role == Membership.Role.HOMEOWNER and dan.tenancy.kind == Tenancy.Kind.LEASEHOLD
    assert erin.tenancy.end_date is not None and erin.tenancy.end_date.year == timezone.localdate().year - 1
    assert erin.tenancy.property.tenancies.filter(end_date__isnull=True, start_date__gt=erin.tenancy.end_date).exists()
    assert Document.objects.filter(tenancy=alice.tenancy, addressee=bob.person).exists()

    for local, role, patches, _ in demo.STAFF:
        user = User.objects.get(username=demo.demo_email(local))
        assert user.kind == User.Kind.STAFF
        granted = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        assert granted == {role, *demo.DEMO_PERMISSIONS.get(local, ())}
        assert sorted(user.patches.values_list("name", flat=True)) == sorted(patches)
        assert TOTPDevice.objects.get(user=user, confirmed=True).key == demo.totp_key_for(user.username)
        assert user.check_password(demo.DEMO_PASSWORD)
    assert User.objects.get(username="admin@demo.porch.test").is_staff
    assert not User.objects.get(username="asb@demo.porch.test").is_staff

    # The sign-up identities are printed, match the record, and have no login yet.
    for name, has_email, has_mobile in (("Frank", True, False), ("Harry", False, True), ("Grace", False, False)):
        person = Person.objects.get(first_name=name, last_name__in=["Evans", "Green", "Fletcher"])
        assert not hasattr(person, "user") or person.user is None  # type: ignore[truthy-function]
        assert bool(person.email) == has_email and bool(person.mobile) == has_mobile
        tenancy = Membership.objects.get(person=person).tenancy
        assert tenancy.reference in output
        assert person.date_of_birth is not None and person.date_of_birth.isoformat() in output
        assert tenancy.property.postcode in output
    assert "alice@demo.porch.test" in output and demo.DEMO_PASSWORD in output


@pytest.mark.django_db
def test_if_empty_does_not_duplicate(demo_settings) -> None:  # type: ignore[no-untyped-def]
    seed("--if-empty")
    counts = (Tenancy.objects.count(), Person.objects.count(), Document.objects.count(), User.objects.count())
    output = seed("--if-empty")
    assert "already loaded" in output
    assert (Tenancy.objects.count(), Person.objects.count(), Document.objects.count(), User.objects.count()) == counts
    with pytest.raises(CommandError):
        seed()


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Membership.objects.order_by("pk").values_list(
            "tenancy__reference",
            "tenancy__property__address_line_1",
            "tenancy__property__postcode",
            "person__housing_reference",
            "person__first_name",
            "person__last_name",
            "person__date_of_birth",
            "person__email",
            "role",
        )
    )


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_data(demo_settings) -> None:  # type: ignore[no-untyped-def]
    seed("--seed", "7")
    first = snapshot()
    if connection.vendor == "postgresql":  # check the deferred keys of the rows just made, so they can be truncated
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False)  # every module's demo records, whichever modules there are
    seed("--seed", "7")
    assert snapshot() == first

    assert [row for row in first if row[3] > "P0000010"], "expected generated households besides the cast"
    other = demo.Generator(8, timezone.localdate()).home(("X House", "X Road", "Town", "M1 1AA", True), 1)
    same = demo.Generator(7, timezone.localdate()).home(("X House", "X Road", "Town", "M1 1AA", True), 1)
    again = demo.Generator(7, timezone.localdate()).home(("X House", "X Road", "Town", "M1 1AA", True), 1)
    assert same == again
    assert other != same


@pytest.mark.django_db
def test_refuses_without_debug(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only for development"):
        call_command("seed_demo", "--homes", "20", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("demo_code", "dpo@demo.porch.test", stdout=StringIO())
    assert not Tenancy.objects.exists()


@pytest.mark.django_db
def test_demo_code_prints_a_code_the_device_accepts(demo_settings) -> None:  # type: ignore[no-untyped-def]
    seed()
    out = StringIO()
    call_command("demo_code", "housing.north@demo.porch.test", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__username="housing.north@demo.porch.test")
    assert device.verify_token(code)
    with pytest.raises(CommandError):
        call_command("demo_code", "nobody@demo.porch.test", stdout=StringIO())


@pytest.mark.django_db
def test_resident_visible_flags(demo_settings) -> None:  # type: ignore[no-untyped-def]
    # The migrations leave the starting types private; complaints' own response letters are the
    # one type made resident-visible by its migration (ADR 0028).
    visible_before = set(DocumentType.objects.filter(resident_visible=True).values_list("name", flat=True))
    assert visible_before == {"Complaint response"}
    seed()
    visible = set(DocumentType.objects.filter(resident_visible=True).values_list("name", flat=True)) - visible_before
    assert visible == set(demo.RESIDENT_VISIBLE_TYPES)
    assert visible == {
        "Letter",
        "Tenancy agreement",
        "Lease",
        "Rent statement",
        "Service charge statement",
        "Gas safety certificate",
    }
    assert dict(
        DocumentType.objects.filter(name__in=["Lease", "Service charge statement"]).values_list("name", "category")
    ) == {"Lease": "agreement", "Service charge statement": "statement"}
    assert not DocumentType.objects.filter(
        category__in=DocumentType.NEVER_RESIDENT_VISIBLE, resident_visible=True
    ).exists()
    document = Document.objects.filter(type__name="Letter").first()
    assert document is not None and document.file.name == "demo/letter.pdf"
    for name in ("Letter", "Lease", "Service charge statement"):
        document = Document.objects.filter(type__name=name).first()
        assert document is not None
        with document.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-") and len(data) == document.size


def test_layout_spreads_homes_over_patches() -> None:
    layout = demo.Layout.for_homes(150_000)
    assert layout.patches == 75
    assert 7_000 <= layout.blocks <= 8_000
    assert layout.patch_of_estate(layout.estates - 1) == layout.patches - 1
    small = demo.Layout.for_homes(HOMES)
    assert small.patches == 3 and small.patch_of_estate(small.estates - 1) == 2


@pytest.mark.django_db
def test_the_demo_shows_a_joining_member_and_a_home_outside_the_pilot(demo_settings) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    seed()
    kim = membership(demo.demo_email("kim"))
    carol = membership(demo.demo_email("carol"))
    assert kim.tenancy == carol.tenancy and kim.start_date > carol.start_date
    client = Client()
    client.force_login(User.objects.get(username=demo.demo_email("kim")))
    listing = client.get("/documents/").content.decode()
    household = Document.objects.filter(tenancy=kim.tenancy, addressee__isnull=True, type__resident_visible=True)
    assert [d.title for d in household if d.dated >= kim.start_date and d.title in listing]
    assert not [d.title for d in household if d.dated < kim.start_date and d.title in listing]

    east = Client()
    east.force_login(User.objects.get(username=demo.demo_email("east")))
    page = east.get("/").content.decode()
    assert "not yet" in page.lower()


@pytest.mark.django_db
def test_the_demo_prints_a_two_step_hint_that_works_from_make(demo_settings) -> None:  # type: ignore[no-untyped-def]
    output = seed()
    assert "make demo-code WHO=" in output
    assert "manage.py demo_code" not in output


HOMEOWNER_KINDS = [Tenancy.Kind.LEASEHOLD, Tenancy.Kind.SHARED_OWNERSHIP, Tenancy.Kind.FACTORED]


@pytest.mark.django_db
def test_every_document_is_dated_within_its_tenancy(demo_settings) -> None:  # type: ignore[no-untyped-def]
    seed()
    today = timezone.localdate()
    documents = Document.objects.select_related("tenancy", "type")
    assert Document.objects.filter(tenancy__end_date__isnull=False).exists()
    for document in documents:
        tenancy = document.tenancy
        assert tenancy.start_date <= document.dated, document.title
        if tenancy.end_date is None:
            assert document.dated <= today, document.title
        else:
            assert document.dated < tenancy.end_date, document.title  # an ended tenancy's papers predate its end
        if document.type.category == DocumentType.Category.AGREEMENT:
            assert document.dated == tenancy.start_date
        if document.type.category == DocumentType.Category.CERTIFICATE:
            assert document.title == f"Gas safety certificate {document.dated.year}"


@pytest.mark.django_db
def test_statements_name_the_month_of_their_date(demo_settings) -> None:  # type: ignore[no-untyped-def]
    seed()
    statements = Document.objects.filter(type__category=DocumentType.Category.STATEMENT).select_related("type")
    assert statements.filter(tenancy__end_date__isnull=False).exists()
    for document in statements:
        month = demo.MONTHS[document.dated.month - 1]
        assert document.title == f"{document.type.name}, {month} {document.dated.year}"
        assert (document.dated + datetime.timedelta(days=1)).day == 1, "dated the last day of the month"
    # The cast's latest rent statement is for the last month that has ended.
    carol = membership(demo.demo_email("carol"))
    latest = statements.filter(tenancy=carol.tenancy).order_by("-dated").first()
    assert latest is not None
    assert latest.dated == timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


@pytest.mark.django_db
def test_homeowners_have_a_lease_and_service_charge_statements(demo_settings) -> None:  # type: ignore[no-untyped-def]
    seed()
    homeowners = Tenancy.objects.filter(kind__in=HOMEOWNER_KINDS)
    dan = membership(demo.demo_email("dan"))
    assert homeowners.count() > 1, "the generated households include homeowners besides the cast"
    for tenancy in homeowners:
        documents = list(tenancy.documents.select_related("type"))
        types = {d.type.name for d in documents}
        assert "Lease" in types
        assert not types & {"Tenancy agreement", "Rent statement", "Gas safety certificate"}
        assert not [d.title for d in documents if "rent" in d.title.lower().replace(":", "").split()]
    assert {"Lease", "Service charge statement"} <= set(dan.tenancy.documents.values_list("type__name", flat=True))
    assert dan.tenancy.documents.filter(title="Annual service charge review").exists()
    assert Document.objects.filter(tenancy__kind__in=HOMEOWNER_KINDS, type__name="Service charge statement").count() > 1
    tenants = Document.objects.filter(tenancy__kind=Tenancy.Kind.SOCIAL_RENT)
    assert not tenants.filter(type__name__in=["Lease", "Service charge statement"]).exists()
    assert (
        tenants.filter(type__name="Tenancy agreement").count()
        == Tenancy.objects.filter(kind=Tenancy.Kind.SOCIAL_RENT).count()
    )


def listing_for(username: str) -> str:
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get("/documents/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_joint_tenant_who_joined_sees_only_the_papers_dated_since(demo_settings) -> None:  # type: ignore[no-untyped-def]
    seed()
    kim = membership(demo.demo_email("kim"))
    household = list(
        Document.objects.filter(
            tenancy=kim.tenancy, addressee__isnull=True, type__resident_visible=True
        ).select_related("type")
    )
    kim_sees = listing_for(demo.demo_email("kim"))
    seen = {d.title for d in household if str(d.uuid) in kim_sees}
    since = {d.title for d in household if d.dated >= kim.start_date}
    assert seen == since
    latest_statement = max((d for d in household if d.type.name == "Rent statement"), key=lambda d: d.dated)
    assert latest_statement.title in seen
    assert "Changes to your repairs service" in seen  # a recent letter to the household
    assert "Tenancy agreement" not in seen and "Estate inspection: what we found" not in seen
    assert any(d.type.name == "Rent statement" and d.title not in seen for d in household)
    assert len(seen) < len(household)

    carol_sees = listing_for(demo.demo_email("carol"))
    assert all(str(d.uuid) in carol_sees for d in household)

    # Letters addressed to one joint tenant reach that tenant alone.
    alice = membership(demo.demo_email("alice"))
    bob = membership(demo.demo_email("bob"))
    alice_sees, bob_sees = listing_for(demo.demo_email("alice")), listing_for(demo.demo_email("bob"))
    for person, sees, other in ((alice.person, alice_sees, bob_sees), (bob.person, bob_sees, alice_sees)):
        letters = Document.objects.filter(tenancy=alice.tenancy, addressee=person)
        assert letters.exists()
        assert all(str(d.uuid) in sees and str(d.uuid) not in other for d in letters)


ALLOWED_SUFFIXES = {
    "Road",
    "Street",
    "Close",
    "Avenue",
    "Lane",
    "Grove",
    "Way",
    "Crescent",
    "Drive",
    "Gardens",
    "Terrace",
    "Walk",
}


@pytest.mark.django_db
def test_place_names_look_british(demo_settings) -> None:  # type: ignore[no-untyped-def]
    seed()
    towns = {name for name, _ in demo.TOWNS}
    streets = set()
    for home in Property.objects.all():
        # A flat: "Flat 3, Oak Court" then its street; a house: "5 Mill Lane".
        street = home.address_line_2 or home.address_line_1
        streets.add(street.lstrip("0123456789 "))
        assert home.town in towns
    generator = demo.Generator(3, timezone.localdate())
    for _ in range(500):
        name, street, town, postcode, is_flats = generator.block_place()
        streets.add(street)
        assert town in towns
        assert postcode.split(" ")[0].rstrip("0123456789") == dict(demo.TOWNS)[town]
        assert is_flats or name == street
    assert len(streets) > 20
    for street in streets:
        assert street.rsplit(" ", 1)[1] in ALLOWED_SUFFIXES, street
    estates = set(Estate.objects.values_list("name", flat=True)) | {generator.estate_name() for _ in range(200)}
    blocks = set(Block.objects.values_list("name", flat=True))
    for name in streets | estates | blocks:  # towns come from the fixed list (Portsmouth is real)
        for invented in ("Stravenue", "Shoal", "Islands", "mouth"):
            assert invented not in name, name
