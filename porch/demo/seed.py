"""Synthetic demo data: patches, estates, blocks, homes, households and documents.

Deterministic for a given seed (Faker "en_GB", used only for people's names, and
random.Random are both seeded), written with bulk_create in batches inside one
transaction, so 150,000 homes on PostgreSQL takes a few minutes. Only ever loaded with DEBUG on: the demo logins
share one published password and predictable two-factor keys.

Every run also creates the named demo cast in the first block of the "North"
patch; their identities are fixed (they do not depend on the seed) so the README
can list them.

Place names come from fixed British-looking lists (Faker's en_GB street suffixes and
towns are invented ones). Every document's title agrees with the date it bears, and
that date lies within its tenancy (before the end of an ended one).
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from porch.accounts.models import RoleGrant, User
from porch.core import modules
from porch.core.modules import DemoLogin
from porch.core.phones import normalise_phone
from porch.documents.models import Document, DocumentType
from porch.housing.cast import CAST_BLOCK, CAST_ESTATE, CAST_POSTCODE, CAST_STREET, CAST_TOWN, demo_email
from porch.housing.models import (
    AddressKey,
    Block,
    Estate,
    Membership,
    Patch,
    Person,
    Property,
    Tenancy,
    normalise_postcode,
)
from porch.incidents.models import OnCallShift
from porch.rollout.cohorts import cohort_switches
from porch.rollout.models import AcceptanceScript, Cohort, CohortHomes, CohortModule

DEMO_PASSWORD = "porch-demo-password"  # noqa: S105 (published on purpose; DEBUG only)
BATCH_SIZE = 5_000
HOMES_PER_BLOCK = 20
BLOCKS_PER_ESTATE = 5
HOMES_PER_PATCH = 2_000
MINIMUM_HOMES = 10
PATCH_NAMES = ["North", "South", "East", "West", "Central"]

# The migration creates these private; the demo shows them switched on.
RESIDENT_VISIBLE_TYPES = (
    "Letter",
    "Tenancy agreement",
    "Lease",
    "Rent statement",
    "Service charge statement",
    "Gas safety certificate",
)
DOCUMENT_TYPES = {
    "Letter": "letter",
    "Tenancy agreement": "agreement",
    "Lease": "agreement",
    "Rent statement": "statement",
    "Service charge statement": "statement",
    "Gas safety certificate": "certificate",
    "ASB case file": "asb_case_file",
    "Witness statement": "witness_statement",
    "Internal note": "internal_note",
}

Role = Membership.Role
Kind = Tenancy.Kind
Say = Callable[[str], None]


class DemoError(Exception):
    """Demo data cannot be loaded (the command turns this into a CommandError)."""


# --- Plain specifications, turned into rows in bulk -------------------------


@dataclass
class PersonSpec:
    first_name: str
    last_name: str
    date_of_birth: datetime.date | None
    email: str = ""
    mobile: str = ""
    key: str = ""  # set for the named cast, to find them again afterwards


@dataclass
class MemberSpec:
    person: PersonSpec
    role: str
    joined: datetime.date | None = None  # later than the tenancy's start: they joined it


@dataclass
class DocSpec:
    type_name: str
    title: str
    dated: datetime.date  # the date the document bears; its title agrees with it
    addressee: int | None = None  # index into the tenancy's members


@dataclass
class TenancySpec:
    kind: str
    start_date: datetime.date
    end_date: datetime.date | None
    members: list[MemberSpec]
    documents: list[DocSpec] = field(default_factory=list)
    key: str = ""


@dataclass
class HomeSpec:
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    tenancies: list[TenancySpec]  # oldest first


@dataclass
class SignupIdentity:
    name: str
    reference: str
    date_of_birth: datetime.date
    postcode: str
    contact: str


@dataclass
class Summary:
    counts: dict[str, int]
    logins: list[DemoLogin]
    signups: list[SignupIdentity]


# --- The named cast ----------------------------------------------------------

# Permissions granted on top of a role, so every feature can be tried in the demo.
DEMO_PERMISSIONS = {"customer.services": ("view_as",), "dpo": ("test_residents",)}

STAFF = [
    # username, role, patches, what they demonstrate
    (
        "housing.north",
        "housing_officer",
        ["North"],
        "Housing officer: sees only the North patch (the cast lives there)",
    ),
    ("housing.south", "housing_officer", ["South"], "Housing officer: South patch only, so cannot see the cast"),
    (
        "customer.services",
        "customer_services",
        [],
        "Customer services: everyone, no ASB material; sign-up queues; may view as a resident",
    ),
    ("asb", "asb_officer", [], "ASB officer: everyone, including ASB case files and witness statements"),
    ("income", "income_officer", [], "Income officer: the rent arrears list and every rent account; finds any tenancy"),
    (
        "dpo",
        "dpo",
        [],
        "Data Protection Officer: everyone, incl. ASB material; cohorts, switches, approvals, test residents",
    ),
    ("admin", "sysadmin", [], "System administrator: Django admin (is_staff), no residents' data"),
]


def totp_key_for(username: str) -> str:
    """The demo staff user's fixed TOTP key (40 hex characters), so codes are predictable."""
    return hashlib.sha1(f"porch-demo:{username}".encode(), usedforsecurity=False).hexdigest()


# --- Dates: every document's title agrees with the date it bears -------------

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
EVERY_MONTH = frozenset(range(1, 13))
SERVICE_CHARGE_MONTHS = frozenset({3, 9})  # homeowners' half-yearly statements, to March and September
REVIEW_DAY = (2, 20)  # annual reviews go out in February, for the charges from April
DAY = datetime.timedelta(days=1)


def month_ends(
    start: datetime.date, last: datetime.date, count: int, months: frozenset[int] = EVERY_MONTH
) -> list[datetime.date]:
    """The last days of the latest `count` months (of those given) that ended on or after
    `start` and before `last`, newest first."""
    dates: list[datetime.date] = []
    year, month = last.year, last.month
    while len(dates) < count:
        if month in months:
            end = datetime.date(year, month, calendar.monthrange(year, month)[1])
            if end < start:
                break
            if end < last:
                dates.append(end)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return dates


def latest_yearly(month: int, day: int, start: datetime.date, last: datetime.date) -> datetime.date | None:
    """The latest date on this month and day (29 February counts as the 28th) that is on or
    after `start` and before `last`, if there is one within the last two years."""
    day = min(day, 28) if month == 2 else day
    for year in (last.year, last.year - 1):
        date = datetime.date(year, month, day)
        if start <= date < last:
            return date
    return None


def statement(type_name: str, dated: datetime.date) -> DocSpec:
    """A statement for the month it is dated in (the month's last day)."""
    return DocSpec(type_name, f"{type_name}, {MONTHS[dated.month - 1]} {dated.year}", dated)


def gas_safety_certificate(start: datetime.date, last: datetime.date) -> DocSpec:
    """The latest yearly check: on the anniversary of the tenancy's start, or its first day."""
    dated = latest_yearly(start.month, start.day, start, last) or start
    return DocSpec("Gas safety certificate", f"Gas safety certificate {dated.year}", dated)


def _cast_documents(
    start: datetime.date,
    last: datetime.date,
    *,
    homeowner: bool = False,
    addressees: tuple[int, ...] = (0,),
) -> list[DocSpec]:
    """A cast household's papers, dated back from `last` (the demo's day, or the day the
    tenancy ended): the agreement or lease, the latest statements, letters old and recent."""

    def days_before(days: int) -> datetime.date:
        return max(start, last - datetime.timedelta(days=days))

    if homeowner:
        docs = [DocSpec("Lease", "Lease", start)]
        docs += [statement("Service charge statement", d) for d in month_ends(start, last, 2, SERVICE_CHARGE_MONTHS)]
        review_title = "Annual service charge review"
    else:
        docs = [DocSpec("Tenancy agreement", "Tenancy agreement", start)]
        docs += [statement("Rent statement", d) for d in month_ends(start, last, 3)]
        docs.append(gas_safety_certificate(start, last))
        review_title = "Annual rent and service charge review"
    review = latest_yearly(*REVIEW_DAY, start, last)
    if review:
        docs.append(DocSpec("Letter", review_title, review))
    docs.append(DocSpec("Letter", "Estate inspection: what we found", days_before(130)))
    docs.append(DocSpec("Letter", "Changes to your repairs service", days_before(12)))
    for index in addressees:
        docs.append(DocSpec("Letter", "Your appointment with your housing officer", days_before(6), addressee=index))
    docs += [
        DocSpec("Internal note", "Internal note: phone call about the household", days_before(20)),
        DocSpec("ASB case file", "ASB case file: noise complaint", days_before(200)),
    ]
    return docs


def cast_homes(today: datetime.date) -> list[HomeSpec]:
    """The named demo cast: fixed identities, all in the first block of North."""
    last_year_end = datetime.date(today.year - 1, 6, 30)
    alice = PersonSpec(
        "Alice", "Ashworth", datetime.date(1984, 3, 12), demo_email("alice"), "07700 900101", key="alice"
    )
    bob = PersonSpec("Bob", "Ashworth", datetime.date(1982, 11, 5), demo_email("bob"), "", key="bob")
    maisie = PersonSpec("Maisie", "Ashworth", datetime.date(2015, 7, 21))
    carol = PersonSpec("Carol", "Brennan", datetime.date(1971, 1, 30), demo_email("carol"), "07700 900103", key="carol")
    kim = PersonSpec("Kim", "Brennan", datetime.date(1988, 6, 9), demo_email("kim"), "", key="kim")
    dan = PersonSpec("Dan", "Chowdhury", datetime.date(1990, 9, 14), demo_email("dan"), "", key="dan")
    erin = PersonSpec("Erin", "Doyle", datetime.date(1979, 5, 2), demo_email("erin"), "", key="erin")
    ian = PersonSpec("Ian", "Ibrahim", datetime.date(1993, 2, 17), "ian.ibrahim@example.com", "", key="ian")
    frank = PersonSpec("Frank", "Evans", datetime.date(1968, 4, 23), demo_email("frank"), "", key="frank")
    grace = PersonSpec("Grace", "Fletcher", datetime.date(1955, 12, 8), "", "", key="grace")
    harry = PersonSpec("Harry", "Green", datetime.date(2000, 8, 19), "", "07700 900108", key="harry")

    def flat(n: int, tenancies: list[TenancySpec]) -> HomeSpec:
        return HomeSpec(f"Flat {n}, {CAST_BLOCK}", f"{n} {CAST_STREET}", CAST_TOWN, CAST_POSTCODE, tenancies)

    def social(
        key: str,
        start: datetime.date,
        members: list[MemberSpec],
        *,
        end: datetime.date | None = None,
        addressees: tuple[int, ...] = (0,),
        extra: tuple[DocSpec, ...] = (),
        docs: list[DocSpec] | None = None,
    ) -> TenancySpec:
        if docs is None:
            docs = [*_cast_documents(start, end or today, addressees=addressees), *extra]
        return TenancySpec(Kind.SOCIAL_RENT, start, end, members, docs, key)

    kim_joined = today - datetime.timedelta(days=35)
    ian_start = last_year_end + datetime.timedelta(days=21)
    dan_start = datetime.date(2019, 6, 28)

    return [
        flat(
            1,
            [
                social(
                    "alice_bob",
                    datetime.date(2012, 4, 2),
                    [
                        MemberSpec(alice, Role.LEAD_TENANT),
                        MemberSpec(bob, Role.JOINT_TENANT),
                        MemberSpec(maisie, Role.HOUSEHOLD_MEMBER),
                    ],
                    addressees=(0, 1),
                )
            ],
        ),
        flat(
            2,
            [
                social(
                    "carol",
                    datetime.date(2005, 10, 17),
                    [
                        MemberSpec(carol, Role.LEAD_TENANT),
                        # Joined five weeks ago: sees the household's papers dated since then only
                        # (the latest rent statement, recent letters), not the agreement or older letters.
                        MemberSpec(kim, Role.JOINT_TENANT, joined=kim_joined),
                    ],
                    extra=(DocSpec("Letter", "Adding a joint tenant to your tenancy", kim_joined),),
                )
            ],
        ),
        flat(
            3,
            [
                TenancySpec(
                    Kind.LEASEHOLD,
                    dan_start,
                    None,
                    [MemberSpec(dan, Role.HOMEOWNER)],
                    _cast_documents(dan_start, today, homeowner=True),
                    "dan",
                )
            ],
        ),
        flat(
            4,
            [
                social("erin", datetime.date(2014, 2, 3), [MemberSpec(erin, Role.LEAD_TENANT)], end=last_year_end),
                social(
                    "ian",
                    ian_start,
                    [MemberSpec(ian, Role.LEAD_TENANT)],
                    docs=[DocSpec("Tenancy agreement", "Tenancy agreement", ian_start)],
                ),
            ],
        ),
        flat(5, [social("frank", datetime.date(2009, 8, 10), [MemberSpec(frank, Role.LEAD_TENANT)])]),
        flat(6, [social("grace", datetime.date(1998, 3, 16), [MemberSpec(grace, Role.LEAD_TENANT)])]),
        flat(7, [social("harry", datetime.date(2022, 1, 10), [MemberSpec(harry, Role.LEAD_TENANT)])]),
    ]


# --- Generated households ----------------------------------------------------

TENANT_LETTER_TITLES = [
    "Your gas safety check appointment",
    "Changes to your repairs service",
    "Estate inspection: what we found",
    "Your tenancy: a reminder about pets",
    "Your home visit",
    "Help with the cost of living",
    "Planned works to your home",
]
HOMEOWNER_LETTER_TITLES = [
    "Major works: consultation on the costs",
    "Buildings insurance renewal",
    "Estate inspection: what we found",
    "Changes to your repairs service",
    "Help with the cost of living",
]
ASB_TITLES = ["ASB case file: noise complaint", "ASB case file: harassment", "ASB case file: vandalism"]

# Places: a stem (a tree, a local word or a family name) and a British street suffix.
STREET_SUFFIXES = (
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
)
PLACE_STEMS = (
    # trees
    "Alder", "Ash", "Beech", "Birch", "Cedar", "Chestnut", "Elm", "Hawthorn", "Hazel", "Holly",
    "Larch", "Laurel", "Lime", "Maple", "Oak", "Poplar", "Rowan", "Sycamore", "Willow", "Yew",
    # local words
    "Abbey", "Bridge", "Brook", "Castle", "Chapel", "Church", "Colliery", "Forge", "Foundry", "Grange",
    "Green", "Manor", "Market", "Meadow", "Mill", "Orchard", "Priory", "Quarry", "School", "Station",
    "Tannery", "Vicarage", "Well", "Windmill", "Park", "Hill", "Queens", "Kings", "Coronation", "Jubilee",
    # family names
    "Ashby", "Barker", "Brindley", "Cartwright", "Chadwick", "Cooper", "Dalton", "Fairfax", "Fletcher", "Fairbank",
    "Hartley", "Holden", "Kershaw", "Lister", "Marsden", "Naylor", "Pemberton", "Radcliffe", "Sutcliffe", "Whitworth",
)  # fmt: skip
ESTATE_SUFFIXES = ("Estate", "Estate", "Estate", "Gardens", "Park", "Fields")
BLOCK_SUFFIXES = ("House", "Court", "Tower", "Lodge", "Point")
# Real English towns and cities, with their postcode areas.
TOWNS = (
    ("Manchester", "M"), ("Salford", "M"), ("Stockport", "SK"), ("Oldham", "OL"), ("Bolton", "BL"),
    ("Wigan", "WN"), ("Preston", "PR"), ("Blackburn", "BB"), ("Liverpool", "L"), ("Leeds", "LS"),
    ("Bradford", "BD"), ("Huddersfield", "HD"), ("Wakefield", "WF"), ("Sheffield", "S"), ("Doncaster", "DN"),
    ("York", "YO"), ("Hull", "HU"), ("Newcastle upon Tyne", "NE"), ("Sunderland", "SR"), ("Middlesbrough", "TS"),
    ("Durham", "DH"), ("Carlisle", "CA"), ("Lincoln", "LN"), ("Nottingham", "NG"), ("Derby", "DE"),
    ("Leicester", "LE"), ("Stoke-on-Trent", "ST"), ("Birmingham", "B"), ("Wolverhampton", "WV"), ("Walsall", "WS"),
    ("Coventry", "CV"), ("Worcester", "WR"), ("Northampton", "NN"), ("Peterborough", "PE"), ("Norwich", "NR"),
    ("Ipswich", "IP"), ("Cambridge", "CB"), ("Luton", "LU"), ("Milton Keynes", "MK"), ("Oxford", "OX"),
    ("Reading", "RG"), ("Swindon", "SN"), ("Gloucester", "GL"), ("Bristol", "BS"), ("Bath", "BA"),
    ("Exeter", "EX"), ("Plymouth", "PL"), ("Southampton", "SO"), ("Portsmouth", "PO"), ("Brighton", "BN"),
    ("Canterbury", "CT"), ("Maidstone", "ME"), ("Chelmsford", "CM"), ("Colchester", "CO"), ("Guildford", "GU"),
)  # fmt: skip
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the inward code never uses C, I, K, M, O or V


class Generator:
    """Makes HomeSpecs from a seeded random source; the same seed, the same homes."""

    def __init__(self, seed: int, today: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.today = today
        self.female = [self.fake.first_name_female() for _ in range(400)]
        self.male = [self.fake.first_name_male() for _ in range(400)]
        self.surnames = [self.fake.last_name() for _ in range(800)]
        self.email_domains = ["example.com", "example.org", "example.net"]

    # Places
    def patch_names(self, count: int) -> list[str]:
        return [PATCH_NAMES[i] if i < len(PATCH_NAMES) else f"Area {i + 1:03d}" for i in range(count)]

    def estate_name(self) -> str:
        return f"{self.rng.choice(PLACE_STEMS)} {self.rng.choice(ESTATE_SUFFIXES)}"

    def street_name(self) -> str:
        return f"{self.rng.choice(PLACE_STEMS)} {self.rng.choice(STREET_SUFFIXES)}"

    def postcode(self, area: str) -> str:
        rng = self.rng
        while True:
            letters = "".join(rng.choice(POSTCODE_UNIT_LETTERS) for _ in range(2))
            postcode = f"{area}{rng.randint(1, 7)} {rng.randint(1, 9)}{letters}"
            if postcode != CAST_POSTCODE:  # the cast's postcode is theirs alone
                return postcode

    def block_place(self) -> tuple[str, str, str, str, bool]:
        """(block name, street, town, postcode, is_flats)"""
        rng = self.rng
        street = self.street_name()
        is_flats = rng.random() < 0.7
        name = f"{rng.choice(self.surnames)} {rng.choice(BLOCK_SUFFIXES)}" if is_flats else street
        town, area = rng.choice(TOWNS)
        return name, street, town, self.postcode(area), is_flats

    # People
    def _date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def adult(self, on: datetime.date, last_name: str | None = None, contact: bool = True) -> PersonSpec:
        """Someone at least 18 on the date given (when their tenancy started), and under 100 today."""
        rng = self.rng
        first = rng.choice(self.female if rng.random() < 0.52 else self.male)
        last = last_name or rng.choice(self.surnames)
        earliest = max(on - datetime.timedelta(days=365 * 70), self.today - datetime.timedelta(days=365 * 95))
        dob = self._date_between(earliest, on - datetime.timedelta(days=365 * 18 + 5))
        email = mobile = ""
        if contact:
            r = rng.random()
            if r < 0.05:
                pass  # neither: sign-up by letter
            elif r < 0.82:
                email = (
                    f"{first}.{last}{rng.randint(1, 999)}@{rng.choice(self.email_domains)}".lower()
                    .replace(" ", "")
                    .replace("'", "")
                )
                if rng.random() < 0.5:
                    mobile = f"07700 900{rng.randint(0, 999):03d}"
            else:
                mobile = f"07700 900{rng.randint(0, 999):03d}"
        return PersonSpec(first, last, dob, email, mobile)

    def child(self, last_name: str, on: datetime.date) -> PersonSpec:
        """A child on the date given (today, or the day the tenancy ended)."""
        first = self.rng.choice(self.female if self.rng.random() < 0.5 else self.male)
        dob = self._date_between(on - datetime.timedelta(days=365 * 17), on - datetime.timedelta(days=30))
        return PersonSpec(first, last_name, dob)

    # Households
    def tenancy(self, kind: str, start: datetime.date, end: datetime.date | None) -> TenancySpec:
        rng = self.rng
        lead = self.adult(start)
        homeowner = kind != Kind.SOCIAL_RENT
        members = [MemberSpec(lead, Role.HOMEOWNER if homeowner else Role.LEAD_TENANT)]
        if homeowner:
            if rng.random() < 0.3:
                members.append(MemberSpec(self.adult(start, lead.last_name), Role.HOMEOWNER))
        else:
            if rng.random() < 0.2:
                same_name = rng.random() < 0.6
                members.append(MemberSpec(self.adult(start, lead.last_name if same_name else None), Role.JOINT_TENANT))
            if rng.random() < 0.35:
                for _ in range(rng.randint(1, 3)):
                    members.append(MemberSpec(self.child(lead.last_name, end or self.today), Role.HOUSEHOLD_MEMBER))
            if rng.random() < 0.08:
                members.append(MemberSpec(self.adult(start, None, contact=rng.random() < 0.5), Role.HOUSEHOLD_MEMBER))
        return TenancySpec(kind, start, end, members, self.documents(kind, start, end, members))

    def _recent(self, start: datetime.date, last: datetime.date, days: int) -> datetime.date:
        """A day within the tenancy, in the `days` before `last` (today, or the day it ended)."""
        return self._date_between(max(start, last - datetime.timedelta(days=days)), last - DAY)

    def documents(
        self, kind: str, start: datetime.date, end: datetime.date | None, members: list[MemberSpec]
    ) -> list[DocSpec]:
        """The agreement (or lease) on the first day, the latest statement, the latest gas
        safety certificate for tenants, and a few letters: all before `end` when it ended."""
        rng = self.rng
        homeowner = kind != Kind.SOCIAL_RENT
        last = end or self.today
        review = latest_yearly(*REVIEW_DAY, start, last)
        if homeowner:
            docs = [DocSpec("Lease", "Lease", start)]
            docs += [
                statement("Service charge statement", d) for d in month_ends(start, last, 1, SERVICE_CHARGE_MONTHS)
            ]
            if review:
                docs.append(DocSpec("Letter", "Annual service charge review", review))
            titles = HOMEOWNER_LETTER_TITLES
        else:
            docs = [DocSpec("Tenancy agreement", "Tenancy agreement", start)]
            docs += [statement("Rent statement", d) for d in month_ends(start, last, 1)]
            docs.append(gas_safety_certificate(start, last))
            if review and rng.random() < 0.3:
                docs.append(DocSpec("Letter", "Annual rent and service charge review", review))
            titles = TENANT_LETTER_TITLES
        account_holders = [i for i, m in enumerate(members) if m.role in Membership.ACCOUNT_ROLES]
        for _ in range(rng.randint(0, 2)):
            addressee = rng.choice(account_holders) if len(account_holders) > 1 and rng.random() < 0.5 else None
            docs.append(DocSpec("Letter", rng.choice(titles), self._recent(start, last, 540), addressee))
        if rng.random() < 0.04:
            docs.append(DocSpec("ASB case file", rng.choice(ASB_TITLES), self._recent(start, last, 3 * 365)))
            if rng.random() < 0.5:
                docs.append(DocSpec("Witness statement", "Witness statement", self._recent(start, last, 3 * 365)))
        if rng.random() < 0.1:
            docs.append(DocSpec("Internal note", "Internal note", self._recent(start, last, 3 * 365)))
        return docs

    def home(self, place: tuple[str, str, str, str, bool], number: int) -> HomeSpec:
        rng = self.rng
        name, street, town, postcode, is_flats = place
        if is_flats:
            line_1, line_2 = f"Flat {number}, {name}", street
        else:
            line_1, line_2 = f"{number * 2 - 1} {street}", ""
        r = rng.random()
        kind = (
            Kind.SOCIAL_RENT
            if r < 0.90
            else Kind.LEASEHOLD
            if r < 0.95
            else Kind.SHARED_OWNERSHIP
            if r < 0.98
            else Kind.FACTORED
        )
        start = self._date_between(datetime.date(1985, 1, 1), self.today - datetime.timedelta(days=60))
        tenancies = []
        if kind == Kind.SOCIAL_RENT and rng.random() < 0.055 and start.year > 1990:
            previous_end = start - datetime.timedelta(days=rng.randint(7, 90))
            previous_start = previous_end - datetime.timedelta(days=rng.randint(365, 365 * 20))
            tenancies.append(self.tenancy(Kind.SOCIAL_RENT, previous_start, previous_end))
        tenancies.append(self.tenancy(kind, start, None))
        return HomeSpec(line_1, line_2, town, postcode, tenancies)


# --- Layout: which block, estate and patch each home is in -------------------


@dataclass
class Layout:
    patches: int
    estates: int
    blocks: int

    @classmethod
    def for_homes(cls, homes: int) -> Layout:
        # At least three: North and South are in the demo pilot, East is not.
        patches = max(3, round(homes / HOMES_PER_PATCH))
        blocks = max(patches, -(-homes // HOMES_PER_BLOCK))
        estates = max(patches, -(-blocks // BLOCKS_PER_ESTATE))
        return cls(patches, estates, blocks)

    def patch_of_estate(self, estate: int) -> int:
        return estate * self.patches // self.estates

    def estate_of_block(self, block: int) -> int:
        return block * self.estates // self.blocks

    def block_of_home(self, home: int, homes: int) -> int:
        return home * self.blocks // homes


# --- Files -------------------------------------------------------------------


def demo_pdf(type_name: str) -> bytes:
    """One small, real PDF per document type; every demo document points at it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(f"Demo {type_name}")
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(72, 770, type_name)
    pdf.setFont("Helvetica", 11)
    lines = [
        "This is a synthetic document made for the Porch demo.",
        "It contains no real person's data. Every demo document of this type",
        "points at this same file.",
    ]
    for i, line in enumerate(lines):
        pdf.drawString(72, 740 - 16 * i, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def save_demo_files() -> dict[str, tuple[str, int]]:
    """Type name -> (storage name, size)."""
    files = {}
    for type_name in DOCUMENT_TYPES:
        data = demo_pdf(type_name)
        name = f"demo/{slugify(type_name)}.pdf"
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(data))
        files[type_name] = (saved, len(data))
    return files


# --- Writing -----------------------------------------------------------------


def _batches[T](items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Writer:
    """Turns chunks of HomeSpecs into rows with bulk_create."""

    def __init__(self, document_types: dict[str, int], files: dict[str, tuple[str, int]]) -> None:
        self.document_types = document_types
        self.files = files
        self.tenancy_number = 0
        self.person_number = 0
        self.uprn_number = 0
        self.membership_number = 0
        self.counts = {"properties": 0, "tenancies": 0, "people": 0, "memberships": 0, "documents": 0}
        self.people_by_key: dict[str, int] = {}
        self.tenancies_by_key: dict[str, Tenancy] = {}

    def write(self, homes: list[tuple[int, HomeSpec]]) -> None:
        properties = []
        for block_id, home in homes:
            self.uprn_number += 1
            properties.append(
                Property(
                    block_id=block_id,
                    address_line_1=home.address_line_1,
                    address_line_2=home.address_line_2,
                    town=home.town,
                    postcode=home.postcode,
                    postcode_normalised=normalise_postcode(home.postcode),
                    uprn=f"{990000000000 + self.uprn_number}",
                    # The housing system's references, as the feed would have loaded them (docs/feed.md).
                    hms_reference=f"PR-{self.uprn_number:07d}",
                )
            )
        Property.objects.bulk_create(properties, batch_size=BATCH_SIZE)
        # bulk_create skips Property.save(), which writes staff search's address keys
        keys = [key for prop in properties for key in AddressKey.for_property(prop)]
        AddressKey.objects.bulk_create(keys, batch_size=BATCH_SIZE)

        tenancies: list[Tenancy] = []
        tenancy_specs: list[TenancySpec] = []
        people: list[Person] = []
        person_specs: list[PersonSpec] = []
        for prop, (_, home) in zip(properties, homes, strict=True):
            for spec in home.tenancies:
                self.tenancy_number += 1
                tenancies.append(
                    Tenancy(
                        reference=f"T{self.tenancy_number:07d}",
                        property_id=prop.pk,
                        kind=spec.kind,
                        start_date=spec.start_date,
                        end_date=spec.end_date,
                        # One household in 12 flagged, as a housing system flags vulnerability.
                        needs_extra_care=self.tenancy_number % 12 == 5,
                    )
                )
                tenancy_specs.append(spec)
                for member in spec.members:
                    self.person_number += 1
                    p = member.person
                    person = Person(
                        housing_reference=f"P{self.person_number:07d}",
                        first_name=p.first_name,
                        last_name=p.last_name,
                        date_of_birth=p.date_of_birth,
                        email=p.email,
                        mobile=p.mobile,
                        mobile_normalised=normalise_phone(p.mobile),  # bulk_create skips save()
                    )
                    person.last_name_normalised, person.full_name_normalised = person.names_normalised()
                    people.append(person)
                    person_specs.append(p)
        Tenancy.objects.bulk_create(tenancies, batch_size=BATCH_SIZE)
        Person.objects.bulk_create(people, batch_size=BATCH_SIZE)

        memberships: list[Membership] = []
        documents: list[Document] = []
        people_iter = iter(people)
        for tenancy, spec in zip(tenancies, tenancy_specs, strict=True):
            if spec.key:
                self.tenancies_by_key[spec.key] = tenancy
            member_ids = []
            for member in spec.members:
                person = next(people_iter)
                member_ids.append(person.pk)
                if member.person.key:
                    self.people_by_key[member.person.key] = person.pk
                start = member.joined or spec.start_date
                if (
                    member.role == Role.HOUSEHOLD_MEMBER
                    and member.person.date_of_birth
                    and member.person.date_of_birth > start
                ):
                    start = member.person.date_of_birth
                self.membership_number += 1
                memberships.append(
                    Membership(
                        hms_reference=f"M-{self.membership_number:08d}",
                        tenancy_id=tenancy.pk,
                        person_id=person.pk,
                        role=member.role,
                        start_date=start,
                        end_date=spec.end_date,
                    )
                )
            for doc in spec.documents:
                file_name, size = self.files[doc.type_name]
                documents.append(
                    Document(
                        tenancy_id=tenancy.pk,
                        addressee_id=member_ids[doc.addressee] if doc.addressee is not None else None,
                        type_id=self.document_types[doc.type_name],
                        title=doc.title,
                        dated=doc.dated,
                        file=file_name,
                        content_type="application/pdf",
                        size=size,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        for batch in _batches(documents, BATCH_SIZE):
            Document.objects.bulk_create(batch, batch_size=BATCH_SIZE)

        self.counts["properties"] += len(properties)
        self.counts["tenancies"] += len(tenancies)
        self.counts["people"] += len(people)
        self.counts["memberships"] += len(memberships)
        self.counts["documents"] += len(documents)


def _document_types() -> dict[str, int]:
    ids = {}
    for name, category in DOCUMENT_TYPES.items():
        doc_type, _ = DocumentType.objects.get_or_create(name=name, defaults={"category": category})
        ids[name] = doc_type.pk
    DocumentType.objects.filter(name__in=RESIDENT_VISIBLE_TYPES).update(resident_visible=True)
    return ids


# --- Users -------------------------------------------------------------------


def _create_users(writer: Writer) -> list[DemoLogin]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    logins = []
    residents = [
        ("alice", "Lead tenant of a joint tenancy with Bob (Flat 1); sees letters addressed to her, not Bob's"),
        ("bob", "Joint tenant with Alice (Flat 1); his own login"),
        ("carol", "Lead tenant of another household in the same block (Flat 2): must not see Flat 1"),
        ("kim", "Joined Carol's tenancy five weeks ago: sees only the papers dated since she joined"),
        ("dan", "Leaseholder (homeowner) in the same block (Flat 3): no access to tenants' data"),
        ("erin", "Former tenant (Flat 4): her tenancy ended last year, so she sees no tenancy data"),
    ]
    for key, demonstrates in residents:
        username = demo_email(key)
        User.objects.create(
            username=username,
            email=username,
            password=password,
            kind=User.Kind.RESIDENT,
            person_id=writer.people_by_key[key],
        )
        logins.append(DemoLogin(username, "resident", demonstrates))
    logins.append(_outside_the_pilot(password))

    patches = {p.name: p for p in Patch.objects.filter(name__in=["North", "South"])}
    for local, role, patch_names, demonstrates in STAFF:
        username = demo_email(local)
        user = User.objects.create(
            username=username,
            email=username,
            password=password,
            kind=User.Kind.STAFF,
            training_completed_on=datetime.date.today() - datetime.timedelta(days=60),
            is_staff=role == "sysadmin",
        )
        RoleGrant.objects.create(user=user, role=role)
        for permission in DEMO_PERMISSIONS.get(local, ()):
            RoleGrant.objects.create(user=user, role=permission)
        if patch_names:
            user.patches.set([patches[name] for name in patch_names])
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=totp_key_for(username), confirmed=True)
        logins.append(DemoLogin(username, role, demonstrates))
    return logins


def _outside_the_pilot(password: str) -> DemoLogin:
    """A login for a lead tenant in the East patch, which the demo pilot does not cover."""
    lead = (
        Membership.objects.current()
        .filter(role=Role.LEAD_TENANT, tenancy__property__block__estate__patch__name="East")
        .order_by("pk")
        .first()
    )
    assert lead is not None, "the East patch always has homes (Layout.for_homes)"
    username = demo_email("east")
    User.objects.create(
        username=username, email=username, password=password, kind=User.Kind.RESIDENT, person_id=lead.person_id
    )
    return DemoLogin(username, "resident", "Lead tenant in the East patch, outside the pilot: not yet available")


# --- The whole run -----------------------------------------------------------


def _open_demo_pilot(patches: list[Patch]) -> None:
    """An open pilot cohort over the first two patches, every module on; the rest wait.
    (Real cohorts open only through the launch checklist.)"""
    cohort = Cohort.objects.create(name="Pilot: North and South", status=Cohort.Status.OPEN, opened_at=timezone.now())
    CohortHomes.objects.bulk_create([CohortHomes(cohort=cohort, patch=patch) for patch in patches[:2]])
    CohortModule.objects.bulk_create(
        CohortModule(cohort=cohort, module=switch.key, enabled=True) for switch in cohort_switches()
    )
    AcceptanceScript.objects.create(cohort=cohort, title="Demo data: no scripts rehearsed")


def _demo_rota() -> None:
    """The DPO is called first and the system administrator (as senior engineer) second, for a year."""
    now = timezone.now()
    for rung, local, label in ((1, "dpo", "DPO"), (2, "admin", "Senior engineer")):
        OnCallShift.objects.create(
            user=User.objects.get(username=demo_email(local)),
            rung=rung,
            role_label=label,
            starts_at=now,
            ends_at=now + datetime.timedelta(days=365),
        )


def is_loaded() -> bool:
    return Tenancy.objects.exists()


def seed(homes: int, seed: int = 1, say: Say | None = None) -> Summary:
    """Load demo data into an empty database. Refuses unless DEBUG is on."""
    if not settings.DEBUG:
        raise DemoError("Demo data is only for development: set DEBUG=1")
    if homes < MINIMUM_HOMES:
        raise DemoError(f"Make at least {MINIMUM_HOMES} homes (the named demo cast needs them)")
    if is_loaded() or Patch.objects.exists():
        raise DemoError("The database already holds housing data. Use --if-empty, or start from a fresh database.")
    say = say or (lambda message: None)
    today = timezone.localdate()
    generator = Generator(seed, today)
    layout = Layout.for_homes(homes)

    with transaction.atomic():
        document_types = _document_types()
        files = save_demo_files()

        patches = [Patch(name=name) for name in generator.patch_names(layout.patches)]
        Patch.objects.bulk_create(patches, batch_size=BATCH_SIZE)
        estates = []
        for e in range(layout.estates):
            name = CAST_ESTATE if e == 0 else generator.estate_name()
            estates.append(
                Estate(name=name, patch_id=patches[layout.patch_of_estate(e)].pk, hms_reference=f"ES-{e + 1:05d}")
            )
        Estate.objects.bulk_create(estates, batch_size=BATCH_SIZE)
        blocks, places = [], []
        for b in range(layout.blocks):
            place = generator.block_place()
            if b == 0:
                place = (CAST_BLOCK, CAST_STREET, CAST_TOWN, CAST_POSTCODE, True)
            places.append(place)
            blocks.append(
                Block(name=place[0], estate_id=estates[layout.estate_of_block(b)].pk, hms_reference=f"BL-{b + 1:06d}")
            )
        Block.objects.bulk_create(blocks, batch_size=BATCH_SIZE)
        say(f"{len(patches)} patches, {len(estates)} estates, {len(blocks)} blocks")

        writer = Writer(document_types, files)
        cast = cast_homes(today)
        chunk: list[tuple[int, HomeSpec]] = [(blocks[0].pk, home) for home in cast]
        numbers_in_block: dict[int, int] = {0: len(cast)}
        for h in range(len(cast), homes):
            b = layout.block_of_home(h, homes)
            numbers_in_block[b] = numbers_in_block.get(b, 0) + 1
            chunk.append((blocks[b].pk, generator.home(places[b], numbers_in_block[b])))
            if len(chunk) >= BATCH_SIZE:
                writer.write(chunk)
                chunk = []
                say(f"{h + 1:,} of {homes:,} homes")
        if chunk:
            writer.write(chunk)
            say(f"{homes:,} of {homes:,} homes")

        logins = _create_users(writer)
        _open_demo_pilot(patches)
        _demo_rota()
        for module in modules.modules():  # each module's own demo records (porch/<app>/module.py)
            if module.demo:
                logins.extend(module.demo() or ())

    def identity(key: str, contact: str) -> SignupIdentity:
        tenancy = writer.tenancies_by_key[key]
        person = Person.objects.get(pk=writer.people_by_key[key])
        assert person.date_of_birth is not None
        return SignupIdentity(person.full_name, tenancy.reference, person.date_of_birth, CAST_POSTCODE, contact)

    signups = [
        identity("frank", f"email on record ({demo_email('frank')}): the code appears in the console"),
        identity("harry", "mobile only (07700 900108): the code goes by text message"),
        identity("grace", "no email or mobile: sign-up by letter (staff print queue)"),
    ]
    counts = {"patches": len(patches), "estates": len(estates), "blocks": len(blocks), **writer.counts}
    return Summary(counts, logins, signups)
