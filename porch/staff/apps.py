from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "porch.staff"
    label = "staff"
