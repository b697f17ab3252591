from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "porch.housing"
    label = "housing"
