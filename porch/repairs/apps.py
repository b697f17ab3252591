from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "porch.repairs"
    label = "repairs"
