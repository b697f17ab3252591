from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "porch.complaints"
    label = "complaints"
