from django.apps import AppConfig


class CanariesConfig(AppConfig):
    name = "porch.canaries"
    label = "canaries"
