"""Admin registrations. Only configuration lives here: residents' personal data
is reached through the audited staff pages, never through the admin site."""

from django.contrib import admin

from porch.accounts.models import ContractorFirm, RoleGrant, User
from porch.core.admin_site import admin_site


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User, site=admin_site)
class UserAdmin(admin.ModelAdmin):
    list_display = ("username", "kind", "is_active", "last_login")
    list_filter = ("kind", "is_active")
    search_fields = ("username",)
    fields = ("username", "kind", "is_active", "firm", "patches", "last_login")
    readonly_fields = ("username", "kind", "last_login")
    inlines = [RoleGrantInline]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).exclude(kind=User.Kind.RESIDENT)


admin_site.register(ContractorFirm)
