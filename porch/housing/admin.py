from porch.core.admin_site import SysadminModelAdmin, admin_site
from porch.housing.models import Block, Estate, Patch

admin_site.register(Patch, SysadminModelAdmin)
admin_site.register(Estate, SysadminModelAdmin)
admin_site.register(Block, SysadminModelAdmin)
