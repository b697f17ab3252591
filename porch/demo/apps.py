from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: the top layer, above everything it fills (it is never imported by the portal)."""

    name = "porch.demo"
    label = "demo"
