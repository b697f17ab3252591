from django.apps import AppConfig


class AsbConfig(AppConfig):
    name = "porch.asb"
    label = "asb"
