"""Where a resident goes when our final response does not settle their complaint: the
ombudsman of the landlord's nation, with contact details printed in every final response and
shown on the complaint's page. Public details, checked in 2025; a landlord confirms them before
going live (ADR 0028)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ombudsman:
    name: str
    what_they_do: str
    phone: str
    email: str
    website: str
    address: tuple[str, ...]


HOUSING_OMBUDSMAN = Ombudsman(
    name="the Housing Ombudsman Service",
    what_they_do="The Housing Ombudsman looks at complaints about social landlords in England, free of charge.",
    phone="0300 111 3000",
    email="info@housing-ombudsman.org.uk",
    website="www.housing-ombudsman.org.uk",
    address=("Housing Ombudsman Service", "PO Box 1484", "Unit D", "Preston", "PR2 0ET"),
)
SPSO = Ombudsman(
    name="the Scottish Public Services Ombudsman (SPSO)",
    what_they_do="The SPSO looks at complaints about social landlords in Scotland, free of charge.",
    phone="0800 377 7330",
    email="",
    website="www.spso.org.uk",
    address=("SPSO", "Bridgeside House", "99 McDonald Road", "Edinburgh", "EH7 4NS"),
)
WALES = Ombudsman(
    name="the Public Services Ombudsman for Wales",
    what_they_do="The Public Services Ombudsman for Wales looks at complaints about social landlords in Wales, "
    "free of charge.",
    phone="0300 790 0203",
    email="ask@ombudsman.wales",
    website="www.ombudsman.wales",
    address=("Public Services Ombudsman for Wales", "1 Ffordd yr Hen Gae", "Pencoed", "CF35 5LJ"),
)
NORTHERN_IRELAND = Ombudsman(
    name="the Northern Ireland Public Services Ombudsman (NIPSO)",
    what_they_do="NIPSO looks at complaints about social landlords in Northern Ireland, free of charge.",
    phone="0800 34 34 24",
    email="nipso@nipso.org.uk",
    website="www.nipso.org.uk",
    address=("NIPSO", "Progressive House", "33 Wellington Place", "Belfast", "BT1 6HN"),
)

# By bank-holiday region (BANK_HOLIDAYS_REGION): the nation the landlord is in.
BY_REGION = {"ENG": HOUSING_OMBUDSMAN, "WLS": WALES, "SCT": SPSO, "NIR": NORTHERN_IRELAND}


def ombudsman_for(region: str) -> Ombudsman:
    return BY_REGION[region]
