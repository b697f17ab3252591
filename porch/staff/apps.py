from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out


class StaffConfig(AppConfig):
    name = "porch.staff"
    label = "staff"

    def ready(self) -> None:
        # Accounts builds the actor and signs people out without importing the back office:
        # staff hands in what it knows (porch/accounts/actor_parts.py) and listens for sign-out.
        from porch.accounts.actor_parts import provide  # models are ready only now
        from porch.accounts.signals import other_sessions_ended
        from porch.staff import access, services

        provide(
            break_glass_tenancy_ids=access.open_break_glass_tenancy_ids,
            viewing_as_user=access.viewing_as_user,
        )
        user_logged_out.connect(services.view_as_end_on_sign_out, dispatch_uid="porch.staff.view_as_end")
        other_sessions_ended.connect(services.view_as_end_elsewhere, dispatch_uid="porch.staff.view_as_elsewhere")
