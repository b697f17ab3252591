from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "porch.money"
    label = "money"
