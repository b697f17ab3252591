"""Safe launch: switches, approvals, pilot cohorts, staff roles and training."""

from porch.core.modules import AuditKind, Module, Owner, PersonalModel, register
from porch.rollout.launch import COHORT_ADD_HOMES, COHORT_MODULE_ON
from porch.rollout.staff_accounts import GIVE_ROLE, TRAINING_RECORD, TRAINING_WINDOW
from porch.rollout.switches import SWITCH_ON

ACCESS_POLICY = AuditKind("access_policy", "the access rules")
CHANGE_PROPOSAL = AuditKind("change_proposal", "a change waiting for approval")
COHORT = AuditKind("cohort", "a pilot cohort")
INVITATIONS = AuditKind("invitations", "invitations")
MODULE_SWITCH = AuditKind("module_switch", "a switch")
ROLE_GRANT = AuditKind("role_grant", "a staff role")

register(
    Module(
        app="rollout",
        name="Safe launch",
        personal=(
            # Who switched, proposed, approved and signed off: staff records.
            PersonalModel("rollout.ModuleSwitch", Owner.STAFF, "changed_by"),
            PersonalModel("rollout.ChangeProposal", Owner.STAFF, "proposed_by"),
            PersonalModel("rollout.Cohort", Owner.STAFF, "created_by"),
            PersonalModel("rollout.CohortHomes", Owner.STAFF, "added_by"),
            PersonalModel("rollout.AcceptanceScript", Owner.STAFF, "signed_off_by"),
            PersonalModel("rollout.Invitation", Owner.PERSON, "person"),
        ),
        audit_kinds=(ACCESS_POLICY, CHANGE_PROPOSAL, COHORT, INVITATIONS, MODULE_SWITCH, ROLE_GRANT),
        # Each applied by the service that owns its setting (switches, launch, staff_accounts).
        approvals=(
            SWITCH_ON,
            COHORT_ADD_HOMES,
            COHORT_MODULE_ON,
            GIVE_ROLE,
            TRAINING_RECORD,
            TRAINING_WINDOW,
        ),
        pages={
            "rollout:switches": "Staff: Switches (what residents can use)",
            "rollout:switch_off": "Staff: Switch a part of the portal off",
            "rollout:switch_on": "Staff: Ask to switch a part of the portal back on",
            "rollout:approvals": "Staff: Changes waiting for approval",
            "rollout:decide": "Staff: Approve or reject a change",
            "rollout:staff_accounts": "Staff: Staff roles and training",
            "rollout:staff_account": "Staff: One staff member's roles and training",
            "rollout:cohorts": "Staff: Pilot cohorts",
            "rollout:cohort": "Staff: A pilot cohort and its launch checklist",
            "rollout:cohort_homes": "Staff: Add homes to a pilot cohort",
            "rollout:cohort_module": "Staff: Switch a part of the portal for a pilot cohort",
            "rollout:cohort_dpia": "Staff: Attach a pilot cohort's DPIA",
            "rollout:cohort_sign_off": "Staff: DPO sign-off of a pilot cohort",
            "rollout:cohort_status": "Staff: Open or close a pilot cohort",
            "rollout:cohort_invitations": "Staff: Invite a pilot cohort's residents",
            "rollout:script_sign_off": "Staff: Sign off an acceptance script",
        },
    )
)
