"""Admin registrations. Only configuration lives here: residents' personal data
is reached through the audited staff pages, never through the admin site."""

from django.contrib import admin

from porch.accounts.models import ContractorFirm, RoleGrant, User
from porch.audit.admin_site import SysadminModelAdmin, admin_site


class RoleGrantInline(admin.TabularInline):
    """Roles are shown, never changed here: a role widens who sees residents' data,
    so it is granted through `manage.py grant_role` (audited), and later through
    two-person approval."""

    model = RoleGrant
    extra = 0
    fields = ("role", "granted_at")
    readonly_fields = ("role", "granted_at")

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
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

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # staff accounts are created by a command, residents sign up

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # accounts are deactivated, never deleted: the audit log refers to them

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).exclude(kind=User.Kind.RESIDENT)


admin_site.register(ContractorFirm, SysadminModelAdmin)
