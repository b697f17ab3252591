"""Each part of the portal declares itself once, in its own `module.py`.

A declaration says what the part is (its switch), what personal data it holds and
whose rows they are, how its audit events read to a resident and to the Data
Protection Officer, which ids the isolation check must try, what it adds to a test
household and to the demo, which pages, links and home-page panels it adds for
residents and staff, and which changes to it wait for a second person. The central
code (switches, approvals, the privacy page, exposure reports, the unscoped check,
the isolation check, the route sweep, the canary crawl, the navigation, the demo)
loops over the registry here and keeps no list of its own. See
docs/adding-a-module.md and ADR 0012.

Declarations are found at start-up (`autodiscover`, like the admin site's), so core
imports nothing above it. Asking for an audit kind nobody declared fails loudly:
a forgotten declaration stops the code, it never quietly shows something.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from porch.core.types import PorchRequest


class Owner(StrEnum):
    """What decides who may see a row: the key a database policy would be written on."""

    TENANCY = "tenancy"  # the tenancy's account holders, and staff whose patch holds the home
    PERSON = "person"  # the person themselves, and staff who may see one of their homes
    PLACE = "place"  # a block, an estate or a patch: the people who live there now
    CONTRACTOR = "contractor"  # a contractor firm's own staff
    STAFF = "staff"  # staff only, by role: never a resident


class Reached(StrEnum):
    """How an audit event reaches the resident it is about, on their privacy page."""

    THROUGH_HOME = "through_home"  # through a tenancy: shown while they hold it
    ALONE = "alone"  # about the person alone, not through a home
    THEIRS_ALONE = "theirs_alone"  # filed under a home, but about them: always shown


class ResidentRule(StrEnum):
    """When the exposure report counts a resident's own read of this kind as allowed."""

    HOUSEHOLD = "household"  # their household's records, through a home they held then
    ABOUT_THEM = "about_them"  # as above, and only if they were among the people it is about
    PLACE = "place"  # where they lived then: the homes the record covers (AuditKind.place)
    NEVER = "never"  # a resident is never shown this


@dataclass(frozen=True)
class Category:
    """A kind of data as a DPO and the ICO name it, for the exposure report."""

    key: str
    label: str
    description: str


@dataclass(frozen=True)
class AuditKind:
    """One `object_type` of the audit log, declared by the module that records it."""

    key: str
    label: str  # what it is, in the words a DPO uses ("a tenancy record"): never the code's name
    category: str = ""  # a Category key; empty: "anything else"
    # How the privacy page names it to the resident it is about ("your tenancy record").
    # Empty: residents are never told of it; even its existence can be private.
    words: str = ""
    reached: Reached = Reached.THROUGH_HOME
    residents: ResidentRule = ResidentRule.HOUSEHOLD
    # Staff roles that alone may read it (anti-social behaviour material); empty: any staff the model lets in.
    readers: frozenset[str] = frozenset()
    # For ResidentRule.PLACE: fn(object_id) -> the homes (Property rows) the recorded object
    # covers. Its residents then, and staff whose patch held those homes then, were allowed
    # to see it. `object_id` is an expression for the event's object_id that is valid in the
    # returned queryset (an OuterRef from the exposure rules): a lookup of the object one
    # subquery further down must wrap it in one more OuterRef (porch.notices.models.notice_homes).
    place: Callable[[Any], QuerySet[Any]] | None = None
    # For ResidentRule.PLACE: fn(object_id) -> the ids of the patch the object is for (a values
    # queryset of one column), for the staff rule: a place with no homes yet still has a patch.
    place_patches: Callable[[Any], QuerySet[Any]] | None = None
    # Records a contractor firm works on: fn(object_id, at) -> the ids of the firms that held
    # the object at that moment (a values queryset of one column), both arguments expressions
    # valid in the returned queryset. A contractor of one of those firms was allowed to see it.
    contractor_firms: Callable[[Any, Any], QuerySet[Any]] | None = None

    @property
    def told(self) -> bool:
        """Residents are told about it on their privacy page."""
        return bool(self.words)


@dataclass(frozen=True)
class PersonalModel:
    """A model holding personal data, and the key on its rows that decides who may see them."""

    model: str  # "app_label.ModelName"
    owner: Owner
    # The field holding the owner ("tenancy", "person"), or the fields of which exactly one
    # is set (a notice is for a block, an estate or a patch).
    key: str | tuple[str, ...]
    # Other keys on the row through which someone besides the owner's readers reaches it:
    # the contractor firm working on a repair ("firm"), a person's own membership of a
    # tenancy ("person"), a user's own account ("id"). The database's policy (porch.core.rls)
    # admits a row through any of its keys, so each must be one the application admits too.
    reached_by: tuple[str, ...] = ()
    # Rows any request may write about anyone: the audit log, where a read is recorded whoever
    # it was about, after the request's principal is gone. Every other walled table takes only
    # rows the request's principal could write (porch.core.rls).
    written_about_anyone: bool = False
    # The staff roles that read this table, as its module's rule says: the organisation-wide
    # ones every row, a housing officer their patches' rows (rent accounts: the income team and
    # the DPO, no housing officer). None named: every staff role does. The database wall
    # narrows staff to them (porch.core.rls); the rule may be narrower still, never wider.
    staff_readers: frozenset[str] = frozenset()

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,) if isinstance(self.key, str) else self.key


@dataclass(frozen=True)
class DemoLogin:
    """A demo account, as `seed_demo` lists it: who to sign in as and what they show."""

    username: str
    role: str
    demonstrates: str


@dataclass(frozen=True)
class Switch:
    key: str
    name: str


@dataclass(frozen=True)
class Link:
    """A page in a navigation list: its URL name and its words."""

    url_name: str
    label: str
    description: str = ""

    @property
    def namespace(self) -> str:
        """The URL namespace, so a navigation item stays current on the module's other pages."""
        return self.url_name.split(":")[0] if ":" in self.url_name else ""


@dataclass(frozen=True)
class Panel:
    """Something a module adds to the resident's home page: a template, and its context
    (None when there is nothing to show). Asked only while the module is on for them."""

    template: str
    context: Callable[[PorchRequest], Mapping[str, Any] | None]


class ApprovalRefused(Exception):
    """An approved change that cannot be applied: the whole decision is undone."""


@dataclass(frozen=True)
class ApprovalKind:
    """A change that widens who sees data, so waits for a second person (porch.rollout.approvals).
    The module that owns the setting applies it, through the same service that narrows it."""

    key: str
    label: str
    # fn(target, approver): applies the approved change. The target is the text its owner
    # wrote with its own typed target (str(SomeTarget(...))), and reads back the same way.
    apply: Callable[[str, Any], None]
    # fn(target) -> the uuid of the staff member the change is about: they may not approve it.
    about_staff: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Subject:
    """One record a conversation can be about (a repair, a complaint, a rent account), as its
    module shows it to one viewer. Found through the module's own access rule each time it is
    shown, so a viewer who may not see the record gets None, never its words."""

    kind: str
    code: str  # its id, as in its URLs
    tenancy_id: int | None
    label: str  # "Repair R0001234": a reference, nothing of what it says
    url: str  # its page, for this viewer


@dataclass(frozen=True)
class SubjectKind:
    """A kind of record residents can write to us about, declared by the module that owns it
    (messages reach it only through this declaration: domain modules import none of each other)."""

    key: str  # "repair"
    words: str  # "a repair": for "about a repair you cannot open"
    topic: str  # the conversation topic it belongs to: "repair", "rent", "complaint"
    # fn(actor, code, request) -> the record as this actor may see it, the look audited; or None.
    find: Callable[[Any, str, Any], Subject | None]


@dataclass(frozen=True)
class Module:
    app: str  # the app label
    name: str
    switch: Switch | None = None
    personal: tuple[PersonalModel, ...] = ()
    categories: tuple[Category, ...] = ()
    audit_kinds: tuple[AuditKind, ...] = ()
    # Every named route the module serves, in the words a DPO uses (the exposure report's page filter).
    pages: Mapping[str, str] = field(default_factory=dict)
    resident_links: tuple[Link, ...] = ()
    staff_links: tuple[Link, ...] = ()
    home_panels: tuple[Panel, ...] = ()
    approvals: tuple[ApprovalKind, ...] = ()
    # The ids (as they appear in URLs) of one test household's records: the isolation check
    # fills every URL with them while signed in as another household.
    probe_ids: Callable[[Any], Iterable[str]] | None = None
    # Adds the module's records to a new test household, each carrying the household's
    # marker: fn(tenancy, marker).
    synthetic: Callable[[Any, str], None] | None = None
    # Adds the module's demo records once the demo's homes and people exist, and names the
    # demo logins it made (printed with the rest by `seed_demo`).
    demo: Callable[[], Iterable[DemoLogin] | None] | None = None
    # Records of this module a resident can write to us about.
    subjects: tuple[SubjectKind, ...] = ()
    # The URL name of this module's page that starts a conversation about one of them (messages).
    write_about: str = ""


_registry: dict[str, Module] = {}


def register(module: Module) -> Module:
    if module.app in _registry and _registry[module.app] != module:
        raise ValueError(f"{module.app} is declared twice")
    others = [declared for declared in _registry.values() if declared.app != module.app]
    for what, keys_of in _DECLARED_ONCE.items():
        taken = {key for declared in others for key in keys_of(declared)}
        if clash := taken & set(keys_of(module)):
            raise ValueError(f"{what} declared by two modules: {sorted(clash)}")
    _registry[module.app] = module
    return module


# Keys that one module alone may declare: a second would silently shadow the first.
_DECLARED_ONCE: dict[str, Callable[[Module], list[str]]] = {
    "audit kinds": lambda module: [kind.key for kind in module.audit_kinds],
    "approval kinds": lambda module: [kind.key for kind in module.approvals],
    "switches": lambda module: [module.switch.key] if module.switch else [],
    "categories": lambda module: [category.key for category in module.categories],
    "personal-data models": lambda module: [declared.model for declared in module.personal],
    "subject kinds": lambda module: [kind.key for kind in module.subjects],
}


def autodiscover() -> None:
    """Import every installed app's module.py (called when the core app is ready)."""
    autodiscover_modules("module")


def modules() -> tuple[Module, ...]:
    return tuple(_registry.values())


def module_for(app: str) -> Module | None:
    return _registry.get(app)


def subject_kind(key: str) -> SubjectKind | None:
    """The declaration of a kind of record a conversation can be about; None if no module declares it."""
    for module in _registry.values():
        for kind in module.subjects:
            if kind.key == key:
                return kind
    return None


def switches() -> tuple[Switch, ...]:
    return tuple(module.switch for module in _registry.values() if module.switch)


def switch_choices() -> list[tuple[str, str]]:
    """The choices of a switch field: a callable, so a new module needs no migration elsewhere."""
    return [(switch.key, switch.name) for switch in switches()]


def switch_keys() -> frozenset[str]:
    return frozenset(switch.key for switch in switches())


def switch_name(key: str) -> str:
    """A switch's name for people ("Documents"). An undeclared key is a bug: KeyError."""
    for switch in switches():
        if switch.key == key:
            return switch.name
    raise KeyError(f"switch {key!r} is not declared by any module")


def approval_kind(key: str) -> ApprovalKind:
    """The declaration of one kind of approval. An undeclared kind is a bug: KeyError."""
    for module in _registry.values():
        for kind in module.approvals:
            if kind.key == key:
                return kind
    raise KeyError(f"approval kind {key!r} is not declared by any module")


def approval_choices() -> list[tuple[str, str]]:
    """The choices of a proposal's kind: a callable, so a new module needs no migration elsewhere."""
    return [(kind.key, kind.label) for module in _registry.values() for kind in module.approvals]


def audit_kinds() -> Iterator[AuditKind]:
    for module in _registry.values():
        yield from module.audit_kinds


def audit_kind(key: str) -> AuditKind:
    """The declaration of one audit kind. A kind nobody declared is a bug: KeyError."""
    for kind in audit_kinds():
        if kind.key == key:
            return kind
    raise KeyError(f"audit kind {key!r} is not declared by any module (porch/<app>/module.py)")


def categories() -> tuple[Category, ...]:
    return tuple(category for module in _registry.values() for category in module.categories)


def personal_models() -> tuple[PersonalModel, ...]:
    return tuple(declared for module in _registry.values() for declared in module.personal)


def staff_links() -> tuple[Link, ...]:
    return tuple(link for module in _registry.values() for link in module.staff_links)


def synthetic_records_create(tenancy: Any, marker: str) -> None:
    """Every module's records for a new synthetic household (test residents, canaries)."""
    for module in _registry.values():
        if module.synthetic:
            module.synthetic(tenancy, marker)


def probe_ids(tenancy: Any) -> list[str]:
    """The ids of one household's records, from every module: the isolation check and the
    canary crawl fill every URL with them while signed in as another household."""
    return [code for module in _registry.values() if module.probe_ids for code in module.probe_ids(tenancy)]


def page_words() -> dict[str, str]:
    return {name: words for module in _registry.values() for name, words in module.pages.items()}


# --- Forgotten declarations ---------------------------------------------------------

# A key to one of these makes a row personal data; so do fields named like a name or contact.
PERSONAL_KEYS = frozenset({"housing.Person", "housing.Tenancy", "housing.Property", "accounts.User"})
PERSONAL_FIELD_WORDS = ("name", "email", "phone", "mobile", "birth", "address", "postcode", "contact")
PERSONAL_FIELD_NAMES = frozenset({"to", "recipient"})
# Names that say "name" but hold no one's: a place's, a kind's, a file's.
NOT_A_PERSONS_NAME = frozenset({"name", "filename", "original_name", "file_name", "route"})


def holds_personal_data(model: type[Any]) -> bool:
    for model_field in model._meta.get_fields():
        related = getattr(model_field, "related_model", None)
        if model_field.concrete and related is not None and related._meta.label in PERSONAL_KEYS:
            return True
        if not model_field.is_relation and _sounds_personal(model_field.name):
            return True
    return False


def _sounds_personal(name: str) -> bool:
    if name in NOT_A_PERSONS_NAME:
        return False
    return name in PERSONAL_FIELD_NAMES or any(word in name for word in PERSONAL_FIELD_WORDS)


def undeclared_personal_models(app_prefix: str = "porch.") -> list[str]:
    """Models of the portal's apps that hold personal data but no module declares (label order)."""
    declared = {declared.model for declared in personal_models()}
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith(app_prefix) and holds_personal_data(model) and model._meta.label not in declared
    )
