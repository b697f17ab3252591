from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "porch.audit"
    label = "audit"
