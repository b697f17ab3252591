"""Contractors for tests: two firms (a and b), each with a verified operative, and jobs
reported by the cast's residents and assigned to a firm."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from porch.accounts.actors import actor_for_user
from porch.accounts.models import ContractorFirm, User
from porch.housing.models import Tenancy
from porch.repairs import services
from porch.repairs.categories import category
from porch.repairs.models import Assignment, Repair, RepairPhoto

FIRMS = {"a": "Able Builders", "b": "Best Repairs"}


def firm(key: str = "a") -> ContractorFirm:
    return ContractorFirm.objects.get_or_create(name=FIRMS[key])[0]


def contractor(key: str = "a", *, verified: bool = True, name: str = "") -> User:
    """An operative of firm `key` ("a/admin": the firm's administrator); verified: with a
    confirmed two-step device."""
    if key.endswith("/admin"):
        from porch.contractors.models import FirmAdministrator

        key = key.removesuffix("/admin")
        admin = contractor(key, verified=verified, name="admin")
        FirmAdministrator.objects.get_or_create(user=admin, firm=firm(key))
        return admin
    username = f"{name or 'operative'}.{key}@contractor.example.org"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, email=username, password=PASSWORD, kind=User.Kind.CONTRACTOR, firm=firm(key)
        )
        if verified:
            TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def job(reporter: User, firm_key: str | None = "a", *, code: str = "kitchen_tap", **fields: Any) -> Repair:
    """A repair the resident reported, assigned to the firm (None: not assigned yet)."""
    actor = actor_for_user(reporter, verified=False)
    home = next(home for home in actor.homes if home.holds_account)
    report = services.Report(
        category=category(code),
        description=fields.pop("description", "The kitchen tap drips all night"),
        tenancy=Tenancy.objects.get(pk=home.tenancy_id),
        contact_name=fields.pop("contact_name", "Alice"),
        contact_phone=fields.pop("contact_phone", "07700 900123"),
        availability=fields.pop("availability", "Weekday mornings"),
        access_notes=fields.pop("access_notes", "Ring the top bell"),
        needs_extra_help=fields.pop("needs_extra_help", False),
    )
    repair = services.report_repair(actor=actor, report=report, key=uuid.uuid4())
    if firm_key is not None:
        assign(repair, firm_key)
    if fields:
        Repair.objects.filter(pk=repair.pk).update(**fields)
        repair.refresh_from_db()
    return repair


def assign(repair: Repair, firm_key: str) -> None:
    """What the repairs team's assigning does to the model: the firm column and its history."""
    Assignment.objects.filter(repair=repair, ended_at__isnull=True).update(ended_at=timezone.now())
    repair.firm = firm(firm_key)
    repair.status = Repair.Status.ASSIGNED
    repair.save(update_fields=["firm", "status"])
    Assignment.objects.create(repair=repair, firm=repair.firm)


def photo(repair: Repair, data: bytes = b"\x89PNG\r\n\x1a\nnot-really") -> RepairPhoto:
    return RepairPhoto.objects.create(
        repair=repair, file=ContentFile(data, name="p.png"), content_type="image/png", size=len(data)
    )
