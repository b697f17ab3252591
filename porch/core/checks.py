"""The deploy check (`manage.py check --deploy`, `make deploy-check`): on PostgreSQL, production
runs behind the database wall (ADR 0032). Without DATABASE_WALL_ROLE every request reads as the
role the portal connects as, and the application's rule is the only one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import connection


@register(Tags.security, deploy=True)
def database_wall_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return wall_warnings(vendor=connection.vendor, debug=settings.DEBUG, wall_role=settings.DATABASE_WALL_ROLE)


def wall_warnings(*, vendor: str, debug: bool, wall_role: str) -> list[CheckMessage]:
    if debug or vendor != "postgresql" or wall_role:
        return []
    return [
        Warning(
            "DATABASE_WALL_ROLE is not set: PostgreSQL's row-level security does not hold the requests, so "
            "a page whose query forgets its filter would show every household's rows.",
            hint="Connect as a role that owns nothing and lacks BYPASSRLS, set DATABASE_WALL_ROLE to it and run "
            "`manage.py database_wall --install ROLE` as the tables' owner after every migrate "
            "(README, The second wall in the database).",
            id="core.W001",
        )
    ]
