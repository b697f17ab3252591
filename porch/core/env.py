"""Tiny, fail-loud readers for environment variables.

Settings come from the environment only. A value that is present but cannot be
understood stops the process at start-up rather than being silently ignored.
"""

import os
import re


class EnvError(RuntimeError):
    pass


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise EnvError(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise EnvError(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise EnvError(f"{name} must be a whole number, not {value!r}.") from exc
    if number < minimum:
        raise EnvError(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_share(name: str, default: float) -> float:
    """A share between 0 and 1 ("0.02" is 2%)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        share = float(value)
    except ValueError as exc:
        raise EnvError(f"{name} must be a number between 0 and 1, not {value!r}.") from exc
    if not 0 <= share <= 1:
        raise EnvError(f"{name} must be between 0 and 1 (0.02 is 2%), not {share}.")
    return share


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def env_colour(name: str, default: str) -> str:
    value = env_str(name, default)
    if not _COLOUR.match(value):
        raise EnvError(f"{name} must be a colour like #1d70b8, not {value!r}.")
    return value.lower()
