from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "porch.incidents"
    label = "incidents"
