from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "porch.documents"
    label = "documents"
