from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "porch.core"
    label = "core"
