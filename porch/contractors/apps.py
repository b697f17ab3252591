from django.apps import AppConfig


class ContractorsConfig(AppConfig):
    name = "porch.contractors"
    label = "contractors"
