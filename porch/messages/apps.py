from django.apps import AppConfig


class MessagesConfig(AppConfig):
    name = "porch.messages"
    label = "messaging"  # "messages" is django.contrib.messages' label
    verbose_name = "Messages"
