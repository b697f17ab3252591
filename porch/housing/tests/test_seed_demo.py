"""manage.py seed_demo and manage.py demo_code."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from porch.accounts.models import RoleGrant, User
from porch.documents.models import Document, DocumentType
from porch.housing import demo
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
    from porch.rollout.models import Cohort

    for model in (
        Cohort,
        Document,
        TOTPDevice,
        RoleGrant,
        User,
        Membership,
        Person,
        Tenancy,
        Property,
        Block,
        Estate,
        Patch,
    ):
        model.objects.all().delete()
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
    assert not DocumentType.objects.filter(resident_visible=True).exists()  # the migration leaves them private
    seed()
    visible = set(DocumentType.objects.filter(resident_visible=True).values_list("name", flat=True))
    assert visible == {"Letter", "Tenancy agreement", "Rent statement", "Gas safety certificate"}
    assert not DocumentType.objects.filter(
        category__in=DocumentType.NEVER_RESIDENT_VISIBLE, resident_visible=True
    ).exists()
    document = Document.objects.filter(type__name="Letter").first()
    assert document is not None and document.file.name == "demo/letter.pdf"
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
