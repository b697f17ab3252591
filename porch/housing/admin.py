"""Estates and blocks decide which patch, and so which housing officer, sees a
home. Once created they cannot be moved here: that would widen who sees
residents' data without a second person's approval (issue 3)."""

from typing import Any

from porch.audit.admin_site import SysadminModelAdmin, admin_site
from porch.housing.models import Block, Estate, Patch


class PlacedAdmin(SysadminModelAdmin):
    placed_by: tuple[str, ...] = ()

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return self.placed_by if obj is not None else ()


class EstateAdmin(PlacedAdmin):
    placed_by = ("patch",)


class BlockAdmin(PlacedAdmin):
    placed_by = ("estate",)


admin_site.register(Patch, SysadminModelAdmin)
admin_site.register(Estate, EstateAdmin)
admin_site.register(Block, BlockAdmin)
