from django.apps import AppConfig
from django.db.backends.signals import connection_created

from porch.core import rls
from porch.core.modules import autodiscover


class CoreConfig(AppConfig):
    name = "porch.core"
    label = "core"

    def ready(self) -> None:
        # Every app's module.py declares its part of the portal (porch.core.modules).
        autodiscover()
        # Behind the database wall, what a new connection reads before anyone claims it.
        connection_created.connect(rls.rest, dispatch_uid="porch.core.rls.rest")
        from porch.core import checks  # noqa: F401  (registers the deploy check)
