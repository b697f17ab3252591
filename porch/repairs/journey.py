"""The "report a repair" journey: one question a page, its answers kept in the session until
the resident submits them on the check-your-answers page.

The journey carries its idempotency key from its first page: submitting twice (a double click,
the back button, a retry after a dropped connection) gives back the repair the first submit
made. Photos are checked and stored as they are added, so a later error on the same page
never loses them; the session holds only their storage names, and they become the repair's
photos when it is submitted (a journey started again deletes the ones it never used).

Who reports: tenants and homeowners (the account holders of a home), for their own home or
for the shared areas of its block or estate. Other household members see their block's and
estate's shared-area repairs but report through the account holder or by phone: the repair
to a home is the tenancy's record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest

from porch.audit.services import record
from porch.core.actor import Actor, Home
from porch.core.uploads import CheckedFile
from porch.housing import access as housing_access
from porch.housing.models import Block, Estate, Tenancy
from porch.repairs import booking, categories, services
from porch.repairs.models import Repair, RepairPhoto, Slot

SESSION_KEY = "repairs_journey"
MAX_PHOTOS = 5
HOME, BLOCK, ESTATE = "home", "block", "estate"
NO_EMERGENCY = "none"
NO_SLOT = "none"

# The steps in order, by their URL names. A step that does not apply to this journey (which
# home, when there is one; the area, for a shared area) is passed over.
STEPS = (
    "repairs:report",
    "repairs:report_emergency",
    "repairs:report_home",
    "repairs:report_where",
    "repairs:report_area",
    "repairs:report_category",
    "repairs:report_description",
    "repairs:report_photos",
    "repairs:report_access",
    "repairs:report_contact",
    "repairs:report_slot",
    "repairs:report_check",
)

# What an answer makes stale: answering a step again forgets the answers that hung on it.
DEPENDENTS = {
    "emergency": ("record_emergency", "area", "category", "slot"),
    "home": ("where", "area", "category", "slot"),
    "where": ("area", "category", "slot"),
    "area": ("category", "slot"),
    "category": ("slot",),
}
BLANK: dict[str, Any] = {
    "emergency": "",
    "record_emergency": False,
    "home": None,
    "where": "",
    "area": "",
    "category": "",
    "description": "",
    "photos": [],
    "photos_done": False,
    "availability": "",
    "access_notes": "",
    "needs_extra_help": False,
    "access_done": False,
    "contact_name": "",
    "contact_phone": "",
    "notify_by": "",
    "slot": "",
    "repair": "",
}


@dataclass
class Journey:
    """The answers so far: a plain dict in the session (JSON), read through these names."""

    data: dict[str, Any]

    @property
    def key(self) -> uuid.UUID:
        return uuid.UUID(self.data["key"])

    def __getitem__(self, name: str) -> Any:
        return self.data.get(name, BLANK[name])

    def answer(self, **answers: Any) -> None:
        for name, value in answers.items():
            if self[name] != value:
                for stale in DEPENDENTS.get(name, ()):
                    self.data[stale] = BLANK[stale]
            self.data[name] = value

    @property
    def is_emergency(self) -> bool:
        return self["emergency"] not in ("", NO_EMERGENCY)

    @property
    def emergency(self) -> categories.Emergency | None:
        return categories.EMERGENCY_BY_CODE.get(self["emergency"])

    @property
    def category(self) -> categories.Category | None:
        if self.is_emergency:
            return categories.BY_CODE.get(f"emergency_{self['emergency']}")
        return categories.BY_CODE.get(self["category"])

    @property
    def is_shared_area(self) -> bool:
        return self["where"] in (BLOCK, ESTATE)

    @property
    def submitted(self) -> bool:
        return bool(self["repair"])


# --- Keeping it in the session ---------------------------------------------------------------


def load(request: HttpRequest) -> Journey | None:
    data = request.session.get(SESSION_KEY)
    return Journey(data) if isinstance(data, dict) and "key" in data else None


def save(request: HttpRequest, journey: Journey) -> None:
    request.session[SESSION_KEY] = journey.data
    request.session.modified = True


def start(request: HttpRequest) -> Journey:
    """A new journey with a new key; the unused photos of an unfinished one are deleted."""
    old = load(request)
    if old is not None and not old.submitted:
        for photo in old["photos"]:
            default_storage.delete(photo["name"])
    journey = Journey({"key": str(uuid.uuid4()), **BLANK, "photos": []})
    save(request, journey)
    return journey


# --- Which steps apply, and which is next ---------------------------------------------------


def homes_for(actor: Actor) -> list[Home]:
    """The homes the resident may report for: those they hold an account for."""
    return [home for home in actor.homes if home.holds_account]


def chosen_home(journey: Journey, actor: Actor) -> Home | None:
    """The home of the journey, if the resident still holds it (checked on every page)."""
    return next((home for home in homes_for(actor) if home.tenancy_id == journey["home"]), None)


def _applies(step: str, journey: Journey, actor: Actor) -> bool:
    rules: dict[str, Callable[[], bool]] = {
        "repairs:report_emergency": lambda: journey.is_emergency,
        "repairs:report_home": lambda: len(homes_for(actor)) > 1,
        "repairs:report_area": lambda: not journey.is_emergency and journey["where"] == HOME,
        "repairs:report_category": lambda: not journey.is_emergency,
        "repairs:report_access": lambda: journey["where"] == HOME,
        "repairs:report_slot": lambda: (
            journey["where"] == HOME and journey.category is not None and journey.category.bookable
        ),
    }
    rule = rules.get(step)
    return rule() if rule is not None else True


def _answered(step: str, journey: Journey) -> bool:
    checks: dict[str, Callable[[], bool]] = {
        "repairs:report": lambda: bool(journey["emergency"]),
        "repairs:report_emergency": lambda: bool(journey["record_emergency"]),
        "repairs:report_home": lambda: journey["home"] is not None,
        "repairs:report_where": lambda: bool(journey["where"]),
        "repairs:report_area": lambda: bool(journey["area"]),
        "repairs:report_category": lambda: journey.category is not None,
        "repairs:report_description": lambda: bool(journey["description"]),
        "repairs:report_photos": lambda: bool(journey["photos_done"]),
        "repairs:report_access": lambda: bool(journey["access_done"]),
        "repairs:report_contact": lambda: bool(journey["notify_by"]),
        "repairs:report_slot": lambda: bool(journey["slot"]),
    }
    check = checks.get(step)
    return check() if check is not None else False


def steps(journey: Journey, actor: Actor) -> list[str]:
    return [step for step in STEPS if _applies(step, journey, actor)]


def next_step(journey: Journey, actor: Actor) -> str:
    """The first step not yet answered: where a resident is sent who skips ahead."""
    settle(journey, actor)
    return next(step for step in steps(journey, actor) if not _answered(step, journey))


def may_show(step: str, journey: Journey, actor: Actor) -> bool:
    """A step may be shown once every step before it is answered (and it applies)."""
    applicable = steps(journey, actor)
    if step not in applicable:
        return False
    return all(_answered(earlier, journey) for earlier in applicable[: applicable.index(step)])


def previous_step(step: str, journey: Journey, actor: Actor) -> str | None:
    applicable = steps(journey, actor)
    index = applicable.index(step) if step in applicable else 0
    return applicable[index - 1] if index > 0 else None


def settle(journey: Journey, actor: Actor) -> None:
    """Answer what has only one answer: the home, when there is one; the shared areas' area."""
    homes = homes_for(actor)
    if len(homes) == 1 and journey["home"] != homes[0].tenancy_id:
        journey.answer(home=homes[0].tenancy_id)
    if journey["home"] is not None and chosen_home(journey, actor) is None:
        journey.answer(home=None)  # no longer theirs (moved out mid-journey): ask again
    if journey.is_shared_area and journey["area"] != "communal":
        journey.answer(area="communal")


# --- What the pages offer ---------------------------------------------------------------------


def places_for(home: Home) -> dict[str, str]:
    """Where the repair is: the home, or the shared areas of its block or estate, by name."""
    block = Block.objects.select_related("estate").get(pk=home.block_id)
    return {
        HOME: "In my home",
        BLOCK: f"In a shared area of {block.name}, such as a stairwell, corridor, lift or entrance",
        ESTATE: f"Somewhere else on {block.estate.name}, such as a path, car park or bin store",
    }


def home_labels(actor: Actor) -> dict[int, str]:
    """Each home the resident may report for, by its address."""
    homes = homes_for(actor)
    tenancies = Tenancy.objects.filter(pk__in=[home.tenancy_id for home in homes]).select_related("property")
    return {tenancy.pk: str(tenancy.property) for tenancy in tenancies}


def slot_choices(journey: Journey, actor: Actor) -> list[Slot]:
    home = chosen_home(journey, actor)
    return booking.free_slots(home.patch_id) if home is not None else []


def chosen_slot(journey: Journey, actor: Actor) -> Slot | None:
    if journey["slot"] in ("", NO_SLOT):
        return None
    home = chosen_home(journey, actor)
    if home is None:
        return None
    return Slot.objects.filter(uuid=journey["slot"], patch_id=home.patch_id).first()


def contact_prefill(actor: Actor, request: HttpRequest) -> dict[str, str]:
    """The resident's name and mobile from their record, to save them typing it (a read of
    their own record: audited as the "your details" page is)."""
    person = housing_access.own_person(actor)
    record(
        actor=actor,
        action="view",
        object_type="person",
        object_id=person.uuid,
        subject_ids=[person.id],
        request=request,
    )
    return {"contact_name": f"{person.first_name} {person.last_name}".strip(), "contact_phone": person.mobile}


# --- Photos ---------------------------------------------------------------------------------


def keep_photo(journey: Journey, checked: CheckedFile) -> None:
    """Store a checked (re-encoded) photo at once, under a random name, and remember it."""
    extension = checked.content_type.rsplit("/", 1)[-1]
    name = default_storage.save(f"repairs/{uuid.uuid4().hex}.{extension}", checked.content)
    journey.data["photos"] = [
        *journey["photos"],
        {"name": name, "content_type": checked.content_type, "size": checked.size},
    ]


def remove_photo(journey: Journey, index: int) -> None:
    photos = list(journey["photos"])
    if 0 <= index < len(photos):
        default_storage.delete(photos.pop(index)["name"])
        journey.data["photos"] = photos


# --- Submitting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    repair: Repair
    slot_taken: bool = False


class Stale(Exception):
    """The answers no longer hold (the home is no longer theirs): the journey must be redone."""


def submit(*, actor: Actor, journey: Journey, request: HttpRequest) -> Submitted:
    """Report the repair (once, by the journey's key), attach its photos, book its slot. A slot
    taken meanwhile by someone else leaves the repair reported, without an appointment."""
    report = _report(journey, actor)
    slot = chosen_slot(journey, actor)
    repair = services.report_repair(actor=actor, report=report, key=journey.key, request=request)
    _attach_photos(repair, journey, actor)
    journey.data["repair"] = str(repair.uuid)
    save(request, journey)
    if slot is None:
        return Submitted(repair)
    try:
        booking.book(actor=actor, repair=repair, slot=slot, request=request)
    except (booking.SlotTaken, booking.NotBookable):
        return Submitted(repair, slot_taken=True)
    return Submitted(repair)


def _report(journey: Journey, actor: Actor) -> services.Report:
    home = chosen_home(journey, actor)
    category = journey.category
    if home is None or category is None or not journey["description"]:
        raise Stale
    place: dict[str, Any] = {}
    if journey["where"] == HOME:
        place["tenancy"] = Tenancy.objects.get(pk=home.tenancy_id)
    elif journey["where"] == BLOCK:
        place["block"] = Block.objects.get(pk=home.block_id)
    elif journey["where"] == ESTATE:
        place["estate"] = Estate.objects.get(pk=home.estate_id)
    else:
        raise Stale
    # A shared area's repair carries nothing about the reporter's home: no access or help notes.
    about_home = journey["where"] == HOME
    return services.Report(
        category=category,
        description=journey["description"],
        availability=journey["availability"] if about_home else "",
        access_notes=journey["access_notes"] if about_home else "",
        needs_extra_help=bool(journey["needs_extra_help"]) and about_home,
        contact_name=journey["contact_name"],
        contact_phone=journey["contact_phone"],
        notify_by=journey["notify_by"] or Repair.NotifyBy.NONE,
        **place,
    )


def _attach_photos(repair: Repair, journey: Journey, actor: Actor) -> None:
    """The journey's photos become the repair's; a second submit attaches none twice."""
    with transaction.atomic():
        attached = set(repair.photos.values_list("file", flat=True))
        for photo in journey["photos"]:
            if photo["name"] in attached:
                continue
            stored = RepairPhoto(
                repair=repair,
                content_type=photo["content_type"],
                size=photo["size"],
                uploaded_by_id=actor.on_behalf_of_id or actor.user_id,
            )
            stored.file.name = photo["name"]
            stored.save()
