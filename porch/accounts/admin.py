"""Admin registrations. Only configuration lives here: residents' personal data
is reached through the audited staff pages, never through the admin site."""

from django.contrib import admin

from porch.accounts.models import ContractorFirm, RoleGrant, User
from porch.core.admin_site import SysadminModelAdmin, admin_site


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return True


@admin.register(User, site=admin_site)
class UserAdmin(SysadminModelAdmin):
    list_display = ("username", "kind", "is_active", "last_login")
    list_filter = ("kind", "is_active")
    search_fields = ("username",)
    fields = ("username", "kind", "is_active", "firm", "patches", "last_login")
    readonly_fields = ("username", "kind", "last_login")
    inlines = [RoleGrantInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # staff accounts are created by a command, residents sign up

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # accounts are deactivated, never deleted: the audit log refers to them

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).exclude(kind=User.Kind.RESIDENT)


admin_site.register(ContractorFirm, SysadminModelAdmin)
