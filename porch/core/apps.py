from django.apps import AppConfig

from porch.core.modules import autodiscover


class CoreConfig(AppConfig):
    name = "porch.core"
    label = "core"

    def ready(self) -> None:
        # Every app's module.py declares its part of the portal (porch.core.modules).
        autodiscover()
