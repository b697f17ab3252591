from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from porch.housing.models import Membership, TestHousehold
from porch.rollout.models import IsolationCheckRun


def test_the_isolation_check_passes_and_records_it(db) -> None:
    call_command("isolation_check", "--households", "2")
    run = IsolationCheckRun.objects.get()
    assert run.passed and run.households == 2 and run.residents == 4
    assert TestHousehold.objects.filter(purpose="isolation_check").count() == 2


def test_the_isolation_check_fails_when_one_household_reaches_anothers_data(db) -> None:
    from porch.housing.synthetic import synthetic_household_create

    first, second = (synthetic_household_create(actor=None, purpose="isolation_check").household for _ in range(2))
    intruder = first.tenancy.memberships.first().person
    Membership.objects.create(
        tenancy=second.tenancy, person=intruder, role="joint_tenant", start_date=second.tenancy.start_date
    )
    with pytest.raises(CommandError, match="FAILED"):
        call_command("isolation_check", "--households", "2")
    run = IsolationCheckRun.objects.first()
    assert run is not None and not run.passed and second.marker in run.leaks
