"""Repairs' pages, one file per audience, under the one "repairs" namespace."""

from porch.repairs import contractor_urls, resident_urls, staff_urls

app_name = "repairs"

urlpatterns = resident_urls.urlpatterns + contractor_urls.urlpatterns + staff_urls.urlpatterns
