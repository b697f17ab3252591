"""The audit log's kinds for anti-social behaviour reports, declared here so services can record
with them and module.py can register them without importing each other."""

from porch.core.modules import AuditKind, Category, Reached, ResidentRule
from porch.core.roles import ASB_READERS, StaffRole

ASB_DATA = Category(
    "asb",
    "Anti-social behaviour reports",
    "reports of anti-social behaviour residents made: what happened, when and where, who was involved "
    "as the reporter described them, evidence photos, diary entries, witness statements, risk assessments "
    "and the ASB team's notes",
)

# Every row's subject is the reporter alone, never anyone named in the report (ADR 0030): the
# reporter is told on their privacy page that "a member of our housing team" read their report,
# and nobody else ever finds a row about it. Readers: the ASB team and the DPO, and housing
# officers, who reach a case only once an ASB officer shares it with their patch.
ASB_CASE = AuditKind(
    "asb_case",
    "an anti-social behaviour report",
    ASB_DATA.key,
    words="your report of anti-social behaviour",
    reached=Reached.THEIRS_ALONE,
    residents=ResidentRule.ABOUT_THEM,
    readers=ASB_READERS | {StaffRole.HOUSING_OFFICER},
)

# The record of a person an ASB officer linked to a report that names them, and each read of it
# (the link shown on the case page, the people offered while looking for the record). About that
# person, so the DPO finds it in their trail, but never told to them: not on their privacy page,
# whose rows are chosen from kinds with words, nor to staff viewing as them. Telling them would
# tell them that someone reported them. Readers: the ASB team and the DPO alone (a housing
# officer a case is shared with does not see the link).
ASB_NAMED = AuditKind(
    "asb_named",
    "a person's record, linked to an anti-social behaviour report that names them",
    ASB_DATA.key,
    reached=Reached.ALONE,
    residents=ResidentRule.NEVER,
    readers=ASB_READERS,
)
