from django.urls import include, path

from porch.audit.admin_site import admin_site
from porch.core.roles import StaffRole
from porch.core.routes import declare_patterns, staff
from porch.core.views import accessibility, brand_css, privacy_notice
from porch.portal.views import home

urlpatterns = [
    path("", home, name="home"),
    path("brand.css", brand_css, name="brand_css"),
    path("accessibility/", accessibility, name="accessibility"),
    path("privacy-notice/", privacy_notice, name="privacy_notice"),
    path("", include("porch.accounts.urls")),
    path("", include("porch.documents.urls")),
    path("", include("porch.notices.urls")),
    path("", include("porch.repairs.urls")),
    path("", include("porch.contractors.urls")),
    path("", include("porch.money.urls")),
    path("", include("porch.complaints.urls")),
    path("", include("porch.asb.urls")),
    path("", include("porch.messages.urls")),
    path("", include("porch.portal.urls")),
    path("staff/", include("porch.staff.urls")),
    path("staff/", include("porch.rollout.urls")),
    path("staff/change-requests/", include("porch.housing.staff_urls")),
    path("staff/feed/", include("porch.feed.staff_urls")),
    path("", include("porch.incidents.urls")),
    path("", include("porch.exposure.urls")),
    path("", include("porch.outbox.urls")),
    path("", include("porch.notifications.urls")),
    path("staff/connections/", include("porch.integrations.urls")),
    path("api/feed/v1/", include("porch.integrations.api_urls")),
    path("admin/", declare_patterns(admin_site.urls, staff(StaffRole.SYSADMIN))),
]

handler400 = "porch.core.errors.bad_request"
handler403 = "porch.core.errors.permission_denied"
handler404 = "porch.core.errors.page_not_found"
handler500 = "porch.core.errors.server_error"
