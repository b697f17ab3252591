from django.apps import AppConfig


class RolloutConfig(AppConfig):
    name = "porch.rollout"
    label = "rollout"
