from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "porch.outbox"
    label = "outbox"
