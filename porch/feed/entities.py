"""The files the feed takes, in the order a full load sends them."""

from __future__ import annotations

from porch.feed.invoices import ServiceChargeInvoices
from porch.feed.loading import Entity
from porch.feed.people import Contacts, People
from porch.feed.places import Properties
from porch.feed.rent import RentAccounts, RentTransactions
from porch.feed.repairs_jobs import RepairsJobs
from porch.feed.tenancies import Memberships, Tenancies

ENTITIES: dict[str, Entity] = {
    entity.layout.entity: entity
    for entity in (
        Properties(),
        People(),
        Tenancies(),
        Contacts(),
        Memberships(),
        RentAccounts(),
        RentTransactions(),
        ServiceChargeInvoices(),
        RepairsJobs(),
    )
}
ORDER = tuple(ENTITIES)


def entity_for(name: str) -> Entity:
    return ENTITIES[name]


def choices() -> list[tuple[str, str]]:
    return [(name, entity.layout.title) for name, entity in ENTITIES.items()]
