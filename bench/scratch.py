"""A scratch portal for the in-process benchmarks: Django on a scratch database (or
DATABASE_URL, which is migrated and seeded: point it at a scratch database), demo data
loaded, then DEBUG off so pages run as in production, with no query log."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def scratch_portal(*, homes: int, prefix: str, if_empty: bool = False) -> None:
    """if_empty: seed only a database with no housing data yet (a bench database kept for re-runs)."""
    os.environ.setdefault("DEBUG", "1")  # only so the demo can be seeded
    scratch = tempfile.mkdtemp(prefix=prefix)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", f"{scratch}/media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", homes=homes, if_empty=if_empty, verbosity=0, stdout=quiet)


def production_like() -> None:
    """Pages as in production: DEBUG off (no query log), the test client's host allowed."""
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False


def cpu_ms_samples(run: Callable[[], Any], times: int) -> list[float]:
    """The process CPU time of each of `times` runs, in ms."""
    samples = []
    for _ in range(times):
        started = time.process_time()
        run()
        samples.append((time.process_time() - started) * 1000)
    return samples


def median_cpu_ms(run: Callable[[], Any], times: int) -> float:
    return statistics.median(cpu_ms_samples(run, times))
