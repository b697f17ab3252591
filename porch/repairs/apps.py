from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "porch.repairs"
    label = "repairs"

    def ready(self) -> None:
        # Behind the database wall a contractor reads the parts of the repairs their firm
        # holds by the repairs' ids (porch.core.rls.JOBS): repairs hands in how to find them.
        from porch.accounts.actor_parts import provide  # models are ready only now
        from porch.repairs.access import firm_jobs

        provide(firm_jobs=firm_jobs)
