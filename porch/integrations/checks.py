"""The deploy check (`manage.py check --deploy`, `make deploy-check`): production needs FEED_API_KEY.

A key that is set but weak already stops start-up (config/settings.py); an empty one is let
through there so that deployments not using the API still start, but the deploy check refuses
it and the API refuses every request while it is empty."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

DEVELOPMENT_KEY = "insecure-development-feed-api-key-never-use-in-production"


@register(Tags.security, deploy=True)
def feed_api_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    if not settings.FEED_API_KEY:
        return [
            Error(
                "FEED_API_KEY is not set: housing system connections cannot sign requests.",
                hint="Set FEED_API_KEY to a random string of at least 32 characters, kept outside the database.",
                id="integrations.E001",
            )
        ]
    if settings.FEED_API_KEY == DEVELOPMENT_KEY:
        return [Error("FEED_API_KEY is the development key.", hint="Set a random one.", id="integrations.E002")]
    return []
