"""What a resident can report, as a tree of areas and the repairs in each, each mapped to
a priority, whether a visit can be booked online, and the statutory rules it falls under.

Kept in code, not in the database: the tree is the landlord's repairs policy, reviewed
like code, and every repair keeps the code of its category so a change to the tree never
rewrites a repair already reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Priority(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"


PRIORITY_WORDS = {
    Priority.EMERGENCY: "Emergency",
    Priority.URGENT: "Urgent",
    Priority.ROUTINE: "Routine",
}


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    communal: bool = False  # reported for a block or estate, never for one home


@dataclass(frozen=True)
class Category:
    code: str
    area: str
    label: str
    priority: Priority
    # A visit can be booked by the resident when reporting it (routine jobs with set visit
    # lengths); otherwise the repairs team arranges it.
    bookable: bool = False
    # Damp and mould: Awaab's Law clocks in England.
    damp: bool = False
    # Scotland's Right to Repair: the working days allowed for a qualifying repair (1, 3 or 7).
    right_to_repair_days: int | None = None


AREAS = (
    Area("kitchen", "Kitchen"),
    Area("bathroom", "Bathroom and toilet"),
    Area("heating", "Heating and hot water"),
    Area("electrics", "Electrics and lighting"),
    Area("doors_windows", "Doors and windows"),
    Area("damp", "Damp and mould"),
    Area("outside", "Outside: garden, fences, paths"),
    Area("communal", "Shared areas of your block or estate", communal=True),
)

CATEGORIES = (
    Category("kitchen_tap", "kitchen", "Dripping or broken tap", Priority.ROUTINE, bookable=True),
    Category("kitchen_units", "kitchen", "Cupboard, worktop or drawer damaged", Priority.ROUTINE, bookable=True),
    Category("kitchen_sink_blocked", "kitchen", "Sink blocked", Priority.URGENT, right_to_repair_days=7),
    Category(
        "kitchen_leak", "kitchen", "Leak under the sink (water contained)", Priority.URGENT, right_to_repair_days=3
    ),
    Category(
        "bathroom_toilet_blocked",
        "bathroom",
        "Toilet blocked (your only toilet)",
        Priority.EMERGENCY,
        right_to_repair_days=1,
    ),
    Category(
        "bathroom_toilet_not_flushing", "bathroom", "Toilet not flushing", Priority.URGENT, right_to_repair_days=1
    ),
    Category("bathroom_bath_sealant", "bathroom", "Bath or shower sealant broken", Priority.ROUTINE, bookable=True),
    Category("bathroom_extractor", "bathroom", "Extractor fan not working", Priority.URGENT, right_to_repair_days=7),
    Category("heating_partial", "heating", "Some radiators not working", Priority.URGENT, right_to_repair_days=3),
    Category("heating_boiler_pressure", "heating", "Boiler losing pressure", Priority.URGENT, right_to_repair_days=3),
    Category(
        "heating_no_hot_water", "heating", "No hot water (heating working)", Priority.URGENT, right_to_repair_days=1
    ),
    Category("electrics_socket", "electrics", "Socket or switch not working", Priority.URGENT, right_to_repair_days=3),
    Category("electrics_light", "electrics", "Light fitting not working", Priority.ROUTINE, bookable=True),
    Category(
        "electrics_extractor",
        "electrics",
        "Cooker hood or kitchen fan not working",
        Priority.ROUTINE,
        bookable=True,
        right_to_repair_days=7,
    ),
    Category("doors_internal", "doors_windows", "Inside door sticking or damaged", Priority.ROUTINE, bookable=True),
    Category(
        "doors_window_wont_close",
        "doors_windows",
        "Window will not close or lock",
        Priority.URGENT,
        right_to_repair_days=1,
    ),
    Category("doors_glass_cracked", "doors_windows", "Cracked glass (not dangerous)", Priority.URGENT),
    Category("damp_mould_patches", "damp", "Mould on walls, ceilings or windows", Priority.URGENT, damp=True),
    Category(
        "damp_patches",
        "damp",
        "Damp patches or water coming through",
        Priority.URGENT,
        damp=True,
        right_to_repair_days=7,
    ),
    Category("damp_condensation", "damp", "Heavy condensation", Priority.ROUTINE, damp=True),
    Category("outside_fence", "outside", "Fence or gate damaged", Priority.ROUTINE, bookable=True),
    Category("outside_path", "outside", "Path or step damaged (trip hazard)", Priority.URGENT),
    Category(
        "outside_gutter", "outside", "Gutter or downpipe blocked or leaking", Priority.ROUTINE, right_to_repair_days=7
    ),
    Category(
        "communal_lighting",
        "communal",
        "Lights out in a stairwell or corridor",
        Priority.URGENT,
        right_to_repair_days=3,
    ),
    Category(
        "communal_door_entry",
        "communal",
        "Entry door or door entry system not working",
        Priority.URGENT,
        right_to_repair_days=1,
    ),
    Category("communal_lift", "communal", "Lift not working", Priority.URGENT, right_to_repair_days=1),
    Category("communal_bin_store", "communal", "Bin store damaged", Priority.ROUTINE),
    Category("communal_leak", "communal", "Leak in a shared area", Priority.URGENT, right_to_repair_days=3),
)


# Emergencies: shown first, with what to do now and who to phone. A resident may record one
# as well, after phoning; it is then an emergency repair (attend within 24 hours).
@dataclass(frozen=True)
class Emergency:
    code: str
    label: str
    do_now: str
    # The number to phone, when it is not the landlord's own emergency line.
    phone_first: str = ""
    phone_first_name: str = ""


EMERGENCIES = (
    Emergency(
        "gas",
        "I can smell gas",
        "Open doors and windows. Do not use light switches, flames or electrical items. "
        "Turn off the gas at the meter if you can, and leave the building.",
        phone_first="0800 111 999",
        phone_first_name="the National Gas Emergency Service",
    ),
    Emergency(
        "carbon_monoxide",
        "My carbon monoxide alarm is going off",
        "Open doors and windows, turn off any gas appliances, leave the home and get fresh air. "
        "If anyone feels unwell, phone 999.",
        phone_first="0800 111 999",
        phone_first_name="the National Gas Emergency Service",
    ),
    Emergency(
        "no_heating_cold",
        "I have no heating or hot water and it is cold",
        "Keep warm: wear layers and keep to one room with the door closed.",
    ),
    Emergency(
        "flooding",
        "There is flooding or a major leak",
        "Turn off the water at the stopcock (often under the kitchen sink). "
        "If water is near electrics, turn off the electricity at the fuse box if it is safe to do so.",
    ),
    Emergency(
        "no_electricity",
        "I have no electricity",
        "Check whether your neighbours have power: if not, it may be a power cut (phone 105). "
        "Check the fuse box for a switch that has tripped.",
    ),
    Emergency(
        "insecure_door",
        "My front door will not lock or has been broken",
        "If you are in danger or someone has broken in, phone 999.",
    ),
)
EMERGENCY_BY_CODE = {emergency.code: emergency for emergency in EMERGENCIES}
EMERGENCY_AREA = Area("emergency", "Emergency")
EMERGENCY_CATEGORIES = tuple(
    Category(
        f"emergency_{emergency.code}", EMERGENCY_AREA.code, emergency.label, Priority.EMERGENCY, right_to_repair_days=1
    )
    for emergency in EMERGENCIES
)

BY_CODE = {category.code: category for category in CATEGORIES + EMERGENCY_CATEGORIES}
AREA_BY_CODE = {area.code: area for area in (*AREAS, EMERGENCY_AREA)}


def in_area(area: str) -> tuple[Category, ...]:
    return tuple(category for category in CATEGORIES if category.area == area)


def category(code: str) -> Category:
    """The category of a code (KeyError if the tree has no such code)."""
    return BY_CODE[code]
