from django.apps import AppConfig


class RolloutConfig(AppConfig):
    name = "porch.rollout"
    label = "rollout"

    def ready(self) -> None:
        # What the rollout opens to a resident, and how long training lasts, for the actor
        # that accounts builds without importing the back office (porch/accounts/actor_parts.py);
        # and the two-person approval engine, for modules below the back office (porch/core/approvals.py).
        from porch.accounts.actor_parts import provide  # models are ready only now
        from porch.core import approvals as approval_port
        from porch.rollout import approvals, cohorts, policy

        provide(
            reach_of_homes=cohorts.reach_of_homes,
            reach_of_test_homes=cohorts.everything,
            training_valid_days=policy.training_valid_days,
        )
        approval_port.provide(approvals.change_propose)
