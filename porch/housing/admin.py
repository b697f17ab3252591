from porch.core.admin_site import admin_site
from porch.housing.models import Block, Estate, Patch

admin_site.register(Patch)
admin_site.register(Estate)
admin_site.register(Block)
