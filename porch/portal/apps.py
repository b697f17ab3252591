from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "porch.portal"
    label = "portal"
