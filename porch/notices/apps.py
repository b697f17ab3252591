from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "porch.notices"
    label = "notices"
