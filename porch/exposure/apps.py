from django.apps import AppConfig


class ExposureConfig(AppConfig):
    name = "porch.exposure"
    label = "exposure"
