"""Django admin, for system administrators only, with every request audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from porch.audit.services import record
from porch.core.roles import StaffRole


class PorchAdminSite(admin.AdminSite):
    site_header = "Porch administration"
    site_title = "Porch administration"

    def has_permission(self, request: HttpRequest) -> bool:
        actor = request.actor  # type: ignore[attr-defined]
        return bool(actor.has_role(StaffRole.SYSADMIN) and request.user.is_active)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        # view and the result stay Any: the stubs say admin_view returns the view's own
        # type, which a wrapper cannot promise. Every admin view returns an HttpResponse.
        protected: Callable[..., HttpResponse] = super().admin_view(view, cacheable)

        def audited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = request.actor  # type: ignore[attr-defined]
            if actor.is_authenticated:
                record(
                    actor=actor,
                    action="admin",
                    object_type="admin",
                    reason=f"{request.method} {request.path}"[:500],
                    request=request,
                )
            return protected(request, *args, **kwargs)

        audited.__dict__.update(protected.__dict__)
        return audited


admin_site = PorchAdminSite(name="admin")


def _is_sysadmin(request: HttpRequest) -> bool:
    return bool(request.actor.has_role(StaffRole.SYSADMIN))  # type: ignore[attr-defined]


class SysadminModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Configuration models: system administrators may manage them, nobody else."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_sysadmin(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_sysadmin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_sysadmin(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_sysadmin(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_sysadmin(request)
