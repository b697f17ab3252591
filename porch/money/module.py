"""Money: the rent and service-charge accounts the housing system keeps, as residents and
the income team will see them (issue 13). Loaded by the housing record feed."""

from porch.core.modules import Module, Owner, PersonalModel, register
from porch.money.demo import demo_accounts
from porch.money.kinds import MONEY_DATA, RENT_ACCOUNT

register(
    Module(
        app="money",
        name="Rent and money",
        personal=(
            PersonalModel("money.RentAccount", Owner.TENANCY, "tenancy"),
            PersonalModel("money.AccountTransaction", Owner.TENANCY, "tenancy"),
        ),
        categories=(MONEY_DATA,),
        audit_kinds=(RENT_ACCOUNT,),
        demo=demo_accounts,
    )
)
