from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from porch.housing.models import Membership, TestHousehold
from porch.rollout.models import IsolationCheckRun


def test_the_isolation_check_passes_and_records_it(db) -> None:
    call_command("isolation_check", "--households", "2")
    run = IsolationCheckRun.objects.get()
    # Each household: a lead and a joint tenant, and a joint tenant who joined today.
    assert run.passed and run.households == 2 and run.residents == 6
    assert TestHousehold.objects.filter(purpose="isolation_check").count() == 2


def test_the_isolation_check_fails_when_one_household_reaches_anothers_data(db) -> None:
    from porch.accounts.synthetic import synthetic_household_create

    first, second = (synthetic_household_create(actor=None, purpose="isolation_check").household for _ in range(2))
    intruder = first.tenancy.memberships.first().person
    Membership.objects.create(
        tenancy=second.tenancy, person=intruder, role="joint_tenant", start_date=second.tenancy.start_date
    )
    with pytest.raises(CommandError, match="FAILED"):
        call_command("isolation_check", "--households", "2")
    run = IsolationCheckRun.objects.first()
    assert run is not None and not run.passed and second.marker in run.leaks


def test_the_isolation_check_fails_when_a_joining_member_sees_the_households_earlier_papers(db) -> None:
    from porch.accounts.synthetic import synthetic_household_create
    from porch.documents.models import Document, DocumentType
    from porch.housing.synthetic import BEFORE_JOINING

    DocumentType.objects.filter(name="Letter").update(resident_visible=True)
    first, _ = (
        synthetic_household_create(actor=None, purpose="isolation_check", with_joiner=True).household for _ in range(2)
    )
    joiner = first.tenancy.memberships.get(person__first_name="Joining").person
    # As if a bug handed the joiner the statement from before they joined.
    Document.objects.filter(title__contains=BEFORE_JOINING, tenancy=first.tenancy).update(addressee=joiner)
    with pytest.raises(CommandError, match="FAILED"):
        call_command("isolation_check", "--households", "2")
    run = IsolationCheckRun.objects.first()
    assert run is not None and f"{first.marker}{BEFORE_JOINING}" in run.leaks
