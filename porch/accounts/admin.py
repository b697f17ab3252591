"""Admin registrations. Only configuration lives here: residents' personal data
is reached through the audited staff pages, never through the admin site."""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from porch.accounts.models import ContractorFirm, RoleGrant, User
from porch.audit.admin_site import SysadminModelAdmin, admin_site

if TYPE_CHECKING:
    # Django's admin classes take no type arguments when the code runs: only mypy sees the models.
    RoleGrantInlineBase = admin.TabularInline[RoleGrant, User]
else:
    RoleGrantInlineBase = admin.TabularInline


class RoleGrantInline(RoleGrantInlineBase):
    """Roles are shown, never changed here: a role widens who sees residents' data,
    so it is granted through `manage.py grant_role` (audited), and later through
    two-person approval."""

    model = RoleGrant
    extra = 0
    fields = ("role", "granted_at")
    readonly_fields = ("role", "granted_at")

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False


@admin.register(User, site=admin_site)
class UserAdmin(SysadminModelAdmin):
    list_display = ("username", "kind", "is_active", "last_login")
    list_filter = ("kind", "is_active")
    search_fields = ("username",)
    fields = ("username", "kind", "is_active", "firm", "patches", "last_login")
    # Patches decide which residents a housing officer sees: not editable here either.
    readonly_fields = ("username", "kind", "firm", "patches", "last_login")
    inlines = [RoleGrantInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # staff accounts are created by a command, residents sign up

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # accounts are deactivated, never deleted: the audit log refers to them

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).exclude(kind=User.Kind.RESIDENT)


admin_site.register(ContractorFirm, SysadminModelAdmin)
