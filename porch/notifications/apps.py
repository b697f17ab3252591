from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "porch.notifications"
    label = "notifications"

    def ready(self) -> None:
        from porch.notifications import checks  # noqa: F401  (registers the deploy check)
