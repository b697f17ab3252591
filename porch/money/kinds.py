"""The audit log's kinds for money, declared here so services can record with them and
module.py can register them without importing each other."""

from porch.core.modules import AuditKind, Category, ResidentRule
from porch.core.roles import StaffRole

# Staff who read every account (with current data-protection training): the income team, and
# the DPO. Each money kind below names its readers, so the exposure report counts a read by
# anyone else (a housing officer, say) as an exposure, and a member of staff viewing as a
# resident without one of these roles is not shown the reads on the resident's privacy page.
ACCOUNT_READERS = frozenset({StaffRole.INCOME_OFFICER, StaffRole.DPO})
# Staff who see whether a card payment went through, to answer a call: the account readers and
# customer services, who see the payment but never the account's balance or history.
PAYMENT_READERS = ACCOUNT_READERS | {StaffRole.CUSTOMER_SERVICES}

MONEY_DATA = Category(
    "money",
    "Rent and money",
    "rent and service-charge accounts: balances, arrears, charges, payments and benefit credits",
)

# A tenancy's rent or service-charge account: the account holders' (lead and joint tenants,
# homeowners), never the household's other members.
RENT_ACCOUNT = AuditKind(
    "rent_account",
    "a rent or service-charge account",
    MONEY_DATA.key,
    words="your rent or service-charge account",
    residents=ResidentRule.ABOUT_THEM,
    readers=ACCOUNT_READERS,
)

# A card payment made in Porch (its amount, reference and whether it went through): the
# account holders', like the account it was paid into.
CARD_PAYMENT = AuditKind(
    "card_payment",
    "a card payment",
    MONEY_DATA.key,
    words="a payment to your rent or service-charge account",
    residents=ResidentRule.ABOUT_THEM,
    readers=PAYMENT_READERS,
)

# A Direct Debit mandate (the collection day, the amount and the bank account's last two digits):
# the account holders'.
DIRECT_DEBIT = AuditKind(
    "direct_debit",
    "a Direct Debit",
    MONEY_DATA.key,
    words="a Direct Debit for your rent or service charges",
    residents=ResidentRule.ABOUT_THEM,
    readers=ACCOUNT_READERS,
)

# An account holder's offer to pay off arrears in instalments, and the income team's answer:
# the account holders', as the account is.
PAYMENT_ARRANGEMENT = AuditKind(
    "payment_arrangement",
    "an arrangement to pay off rent arrears",
    MONEY_DATA.key,
    words="your arrangement to pay off what you owe",
    residents=ResidentRule.ABOUT_THEM,
    readers=ACCOUNT_READERS,
)

# A homeowner's service-charge invoice (the period, the block's shared costs and their share of
# each): the account holders', like the account it is for.
SERVICE_CHARGE_INVOICE = AuditKind(
    "service_charge_invoice",
    "a homeowner's service-charge invoice",
    MONEY_DATA.key,
    words="your service-charge invoices",
    residents=ResidentRule.ABOUT_THEM,
    readers=ACCOUNT_READERS,
)
