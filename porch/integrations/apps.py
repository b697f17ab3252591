from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "porch.integrations"
    label = "integrations"
    verbose_name = "Housing system connections"

    def ready(self) -> None:
        from porch.integrations import checks  # noqa: F401  (registers the deploy check)
