"""The access graph: where people live and who belongs to which tenancy.

Every resident-owned row elsewhere carries a tenancy and/or person key that
points back here, so scoping is one indexed predicate.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict, Unpack
from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.db.models.base import ModelBase
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateformat import format as date_format

from porch.core.phones import normalise_phone
from porch.core.roles import ORGANISATION_WIDE, PATCH_SCOPED

if TYPE_CHECKING:
    from porch.core.actor import Actor


class SaveOptions(TypedDict, total=False):
    """The keyword arguments of Model.save (all keyword-only since Django 6.0)."""

    force_insert: bool | tuple[ModelBase, ...]
    force_update: bool
    using: str | None
    update_fields: Iterable[str] | None


def in_force(start: datetime.date, end: datetime.date | None, on: datetime.date) -> bool:
    """A tenancy or membership is in force from its first day up to, not on, its end date:
    the household loses access on the end date (as MembershipQuerySet.current)."""
    return start <= on and (end is None or end > on)


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def normalise_reference(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def normalise_name(value: str) -> str:
    """A name as staff search compares it: any case, any spacing ("  alice  ASHWORTH" is "alice ashworth")."""
    return " ".join(value.casefold().split())


def normalise_address(value: str) -> str:
    """An address as staff search compares it: words only, in lower case, one space apart
    ("Flat 1, Ashdown House" is "flat 1 ashdown house")."""
    return " ".join(re.sub(r"[\W_]+", " ", value.casefold()).split())


def address_keys(address_line_1: str) -> list[str]:
    """The first address line from each of its words on: "Flat 1, Ashdown House" gives
    "flat 1 ashdown house", "1 ashdown house", "ashdown house" and "house", so a search for
    words of the address, wherever they start, is one indexed "starts with" look-up."""
    words = normalise_address(address_line_1).split(" ")
    return [" ".join(words[i:]) for i in range(len(words)) if words[i]]


class Patch(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name_plural = "patches"

    def __str__(self) -> str:
        return self.name


class Estate(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # The housing management system's own reference: the feed matches on it, and on nothing else.
    hms_reference = models.CharField("HMS reference", max_length=40, unique=True, null=True, blank=True)
    name = models.CharField(max_length=100)
    patch = models.ForeignKey(Patch, on_delete=models.PROTECT, related_name="estates")

    def __str__(self) -> str:
        return self.name


class Block(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # The housing management system's own reference: the feed matches on it, and on nothing else.
    hms_reference = models.CharField("HMS reference", max_length=40, unique=True, null=True, blank=True)
    name = models.CharField(max_length=100)
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="blocks")

    def __str__(self) -> str:
        return self.name


class Property(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # The housing management system's own reference: the feed matches on it, and on nothing else.
    hms_reference = models.CharField("HMS reference", max_length=40, unique=True, null=True, blank=True)
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="properties")
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    postcode_normalised = models.CharField(max_length=10, db_index=True, editable=False)
    uprn = models.CharField("UPRN", max_length=12, unique=True, null=True, blank=True)
    is_test = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "properties"

    def save(self, **kwargs: Unpack[SaveOptions]) -> None:
        self.postcode_normalised = normalise_postcode(self.postcode)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "postcode" in update_fields:
            kwargs["update_fields"] = {*update_fields, "postcode_normalised"}
        super().save(**kwargs)
        if update_fields is None or "address_line_1" in update_fields:
            AddressKey.objects.filter(property=self).delete()
            AddressKey.objects.bulk_create(AddressKey.for_property(self))

    def __str__(self) -> str:
        return f"{self.address_line_1}, {self.postcode}"

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.address_line_1, self.address_line_2, self.town, self.postcode) if line]


class AddressKey(models.Model):
    """One of a property's first address line from each word on (address_keys), for staff
    search. Property.save writes them; a bulk write of properties must write them too
    (AddressKey.for_property), as porch/demo/seed.py does."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="address_keys")
    key = models.CharField(max_length=200)

    class Meta:
        # One index serving "starts with" (search_tenancies' StartsWith): on PostgreSQL with
        # the pattern operator class, so LIKE 'term%' uses it whatever the collation; other
        # databases ignore opclasses and get a plain index, which serves SQLite's range.
        indexes = [models.Index(fields=["key"], name="housing_addresskey_key", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.key

    @classmethod
    def for_property(cls, home: Property) -> list[AddressKey]:
        return [cls(property=home, key=key) for key in address_keys(home.address_line_1)]


def patch_rule(actor: Actor, tenancy: str = "tenancy__") -> Q:
    """A housing officer's households, as one predicate on a row reached through `tenancy`
    (the lookup path to the row's tenancy; "" on a tenancy itself): tenancies whose home is in
    one of their patches, and those they opened outside them with a stated reason (break glass,
    for BREAK_GLASS_HOURS). Every module's rule for patch staff is this one, so break glass opens
    the household's records in each module alike."""
    return Q(**{f"{tenancy}property__block__estate__patch_id__in": actor.patch_ids}) | Q(
        **{f"{tenancy}id__in": actor.break_glass_tenancy_ids}
    )


class TenancyQuerySet(models.QuerySet["Tenancy"]):
    def current(self, on: datetime.date | None = None) -> TenancyQuerySet:
        today = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=today), start_date__lte=today)

    def visible_to(self, actor: Actor) -> TenancyQuerySet:
        """Residents: tenancies they are a current account-holding member of.
        Staff, only with current data-protection training: every tenancy for
        organisation-wide roles; for patch roles, their patches and any tenancy
        opened outside them with a stated reason (break glass).
        Everybody else: nothing."""
        if actor.is_resident and actor.person_id:
            return self.filter(id__in=actor.tenancy_ids)  # resolved with the actor: Actor.homes
        if not actor.reads_personal_data:
            return self.none()
        if actor.roles & ORGANISATION_WIDE:
            return self.all()
        if actor.roles & PATCH_SCOPED:
            return self.filter(patch_rule(actor, tenancy=""))
        return self.none()


class Tenancy(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_RENT = "social_rent", "Social rent"
        SHARED_OWNERSHIP = "shared_ownership", "Shared ownership"
        LEASEHOLD = "leasehold", "Leasehold"
        FACTORED = "factored", "Factored homeowner"

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=30, unique=True)
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tenancies")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # The housing system's flag that the household is vulnerable or has support needs: no detail,
    # only that the income team takes extra care over arrears (the pre-action protocol for rent).
    needs_extra_care = models.BooleanField(default=False)
    is_test = models.BooleanField(default=False)

    objects = TenancyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "tenancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="tenancy_ends_after_it_starts",
            )
        ]

    def save(self, **kwargs: Unpack[SaveOptions]) -> None:
        self.reference = normalise_reference(self.reference)
        super().save(**kwargs)

    def __str__(self) -> str:
        return self.reference

    def is_current(self, on: datetime.date | None = None) -> bool:
        return in_force(self.start_date, self.end_date, on or timezone.localdate())

    def clamp(self, day: datetime.date) -> datetime.date:
        """The day itself if the tenancy was in force then, else its first or last day."""
        if self.end_date is not None and day >= self.end_date:
            day = self.end_date - datetime.timedelta(days=1)
        return max(day, self.start_date)


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, actor: Actor) -> PersonQuerySet:
        """Residents: themselves and the current members of their current tenancies.
        Staff: members (past or present) of the tenancies they can see."""
        if actor.is_resident and actor.person_id:
            household = Membership.objects.current().filter(tenancy_id__in=actor.tenancy_ids)
            return self.filter(Q(id=actor.person_id) | Q(id__in=household.values("person_id")))
        if actor.is_staff:
            tenancies = Tenancy.objects.visible_to(actor)
            return self.filter(id__in=Membership.objects.filter(tenancy__in=tenancies).values("person_id"))
        return self.none()


class Person(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    housing_reference = models.CharField(max_length=30, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=20, blank=True)
    # The mobile in one form (+447700900123), so signing in with it in any spelling is one indexed look-up.
    mobile_normalised = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    # The surname and the full name as staff search compares them (normalise_name), so finding
    # a name starting "Ashw" or "alice ash" is one indexed look-up. save() keeps them; bulk writes
    # must set them too (porch/demo/seed.py does).
    last_name_normalised = models.CharField(max_length=100, blank=True, editable=False)
    full_name_normalised = models.CharField(max_length=201, blank=True, editable=False)
    is_test = models.BooleanField(default=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        # Signing in with an email address in any case is one indexed look-up.
        indexes = [
            models.Index(Lower("email"), name="housing_person_email_lower"),
            # Staff search's "starts with" (see AddressKey's index).
            models.Index(
                fields=["last_name_normalised"], name="housing_person_last_name_norm", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["full_name_normalised"], name="housing_person_full_name_norm", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def save(self, **kwargs: Unpack[SaveOptions]) -> None:
        self.mobile_normalised = normalise_phone(self.mobile)
        self.last_name_normalised, self.full_name_normalised = self.names_normalised()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            also: set[str] = set()
            if "mobile" in update_fields:
                also.add("mobile_normalised")
            if {"first_name", "last_name"} & set(update_fields):
                also |= {"last_name_normalised", "full_name_normalised"}
            kwargs["update_fields"] = {*update_fields, *also}
        super().save(**kwargs)

    def names_normalised(self) -> tuple[str, str]:
        """The surname and the full name as staff search compares them."""
        return normalise_name(self.last_name), normalise_name(f"{self.first_name} {self.last_name}")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships in force today, of tenancies in force today."""
        today = on or timezone.localdate()
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today),
            Q(tenancy__end_date__isnull=True) | Q(tenancy__end_date__gt=today),
            start_date__lte=today,
            tenancy__start_date__lte=today,
        )

    def account_holders(self) -> MembershipQuerySet:
        return self.filter(role__in=Membership.ACCOUNT_ROLES)


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD_TENANT = "lead_tenant", "Lead tenant"
        JOINT_TENANT = "joint_tenant", "Joint tenant"
        HOUSEHOLD_MEMBER = "household_member", "Household member"
        HOMEOWNER = "homeowner", "Homeowner"

    # Roles that may hold a portal account and sign up themselves.
    ACCOUNT_ROLES = (Role.LEAD_TENANT, Role.JOINT_TENANT, Role.HOMEOWNER)

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # The housing management system's own reference: the feed matches on it, and on nothing else.
    hms_reference = models.CharField("HMS reference", max_length=40, unique=True, null=True, blank=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
            )
        ]
        indexes = [models.Index(fields=["person", "tenancy"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.tenancy}"

    @property
    def is_account_holder(self) -> bool:
        return self.role in self.ACCOUNT_ROLES

    def in_force(self, on: datetime.date | None = None) -> bool:
        """The membership's own dates only; MembershipQuerySet.current also asks its tenancy's."""
        return in_force(self.start_date, self.end_date, on or timezone.localdate())


class DetailsChangeRequestQuerySet(models.QuerySet["DetailsChangeRequest"]):
    def visible_to(self, actor: Actor) -> DetailsChangeRequestQuerySet:
        """Residents: their own requests. Staff: requests filed under a tenancy they can see
        (the person's current home, or a former tenant's last one): a housing officer does not
        answer for someone who once lived in their patch and has since moved away."""
        if actor.is_resident and actor.person_id:
            return self.filter(person_id=actor.person_id)
        if actor.is_staff:
            return self.filter(tenancy__in=Tenancy.objects.visible_to(actor))
        return self.none()

    def waiting(self) -> DetailsChangeRequestQuerySet:
        """Not yet decided, the one whose reply is due soonest first."""
        return self.filter(status=DetailsChangeRequest.Status.OPEN).order_by("due_on", "created_at", "id")


class DetailsChangeRequest(models.Model):
    """A resident asks for their details to be changed; staff action it later."""

    class Field(models.TextChoices):
        NAME = "name", "Name"
        EMAIL = "email", "Email address"
        MOBILE = "mobile", "Mobile number"
        DATE_OF_BIRTH = "date_of_birth", "Date of birth"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for us to check"
        DONE = "done", "Changed"
        DECLINED = "declined", "Not changed"

    # What residents are promised: a reply within this many working days.
    REPLY_WORKING_DAYS = 10

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="change_requests")
    # The home the request was made from: the current one, or a former tenant's most recent.
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="change_requests")
    field = models.CharField(max_length=20, choices=Field.choices)
    new_value = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(help_text="The reply is due by this day: REPLY_WORKING_DAYS working days after asking.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Shown to the resident, so written for them; never filled in unless declined.
    decline_reason = models.TextField(blank=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)

    objects = DetailsChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_on"], name="change_request_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "declined"]), name="change_request_status_known"
            ),
            # Open means nobody has decided; decided means someone did, at a known time.
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="change_request_decided_has_who_and_when",
            ),
            # A resident told "no" is always told why; nobody else gets a reason.
            models.CheckConstraint(
                condition=(Q(status="declined") & ~Q(decline_reason=""))
                | (~Q(status="declined") & Q(decline_reason="")),
                name="change_request_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} change for {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def changes_the_record(self) -> bool:
        """Approving changes the record itself; "Something else" is changed by hand."""
        return self.field != self.Field.OTHER

    def current_value(self) -> str:
        """What the record says now, for the field this request would change."""
        person = self.person
        values: dict[str, str] = {
            self.Field.NAME: person.full_name,
            self.Field.EMAIL: person.email,
            self.Field.MOBILE: person.mobile,
            self.Field.DATE_OF_BIRTH: date_format(person.date_of_birth, "j F Y") if person.date_of_birth else "",
        }
        return values.get(self.field, "")

    def new_value_display(self) -> str:
        """The requested value as a person reads it (dates of birth are stored as YYYY-MM-DD)."""
        if self.field == self.Field.DATE_OF_BIRTH:
            try:
                return date_format(datetime.date.fromisoformat(self.new_value), "j F Y")
            except ValueError:
                return self.new_value
        return self.new_value


class TestHousehold(models.Model):
    """A synthetic household, flagged as test throughout, whose every detail
    carries a unique marker, for rehearsals, the isolation self-test and the canary guard."""

    __test__ = False  # a model, not a pytest test class

    class Purpose(models.TextChoices):
        REHEARSAL = "rehearsal", "Rehearsals and acceptance scripts"
        ISOLATION_CHECK = "isolation_check", "The isolation self-test"
        # Tripwires in production: the response guard (porch/canaries) blocks any response
        # that carries their markers to anyone but themselves. Nobody signs in as one.
        CANARY = "canary", "Canary households for the response guard"

    tenancy = models.OneToOneField(Tenancy, on_delete=models.PROTECT, related_name="test_household")
    marker = models.CharField(max_length=40, unique=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True)
