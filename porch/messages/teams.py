"""The staff teams a resident can write to, each a shared inbox, and the roles that work it
(ADR 0031). Kept free of models so forms, access and services can all use it."""

from __future__ import annotations

from django.db import models

from porch.core.roles import StaffRole


class Team(models.TextChoices):
    HOUSING = "housing", "Housing team"
    REPAIRS = "repairs", "Repairs team"
    INCOME = "income", "Rent and income team"
    CUSTOMER_SERVICES = "customer_services", "Customer services"


# The role that works each team's inbox. Housing officers are patch-scoped: they see the
# threads of the homes in their patches only, like every other record of those homes.
TEAM_ROLE: dict[str, str] = {
    Team.HOUSING: StaffRole.HOUSING_OFFICER,
    Team.REPAIRS: StaffRole.REPAIRS_COORDINATOR,
    Team.INCOME: StaffRole.INCOME_OFFICER,
    Team.CUSTOMER_SERVICES: StaffRole.CUSTOMER_SERVICES,
}
# Staff who may work threads (reply, take one): the roles of the teams.
WORKERS = frozenset(TEAM_ROLE.values())
# Staff who may read threads: the teams, and the DPO (read only, for subject access and complaints).
READERS = WORKERS | {StaffRole.DPO}


class Topic(models.TextChoices):
    """What the resident says the thread is about; each goes to the team that deals with it."""

    HOME = "home", "My home or my tenancy (for my housing officer)"
    REPAIR = "repair", "A repair"
    RENT = "rent", "My rent account"
    COMPLAINT = "complaint", "A complaint I have made"
    OTHER = "other", "Something else"


TOPIC_TEAM: dict[str, str] = {
    Topic.HOME: Team.HOUSING,
    Topic.REPAIR: Team.REPAIRS,
    Topic.RENT: Team.INCOME,
    Topic.COMPLAINT: Team.HOUSING,
    Topic.OTHER: Team.CUSTOMER_SERVICES,
}


def teams_of(roles: frozenset[str]) -> list[str]:
    """The inboxes a member of staff works, in the order of Team."""
    return [team for team in Team if TEAM_ROLE[team] in roles]
