"""System administrators' pages for housing system connections, under /staff/connections/."""

from django.urls import path

from porch.integrations import staff_views

app_name = "integrations"
urlpatterns = [
    path("", staff_views.connection_list, name="list"),
    path("new/", staff_views.connection_new, name="new"),
    path("<uuid:code>/", staff_views.connection_detail, name="detail"),
    path("<uuid:code>/change/", staff_views.connection_change, name="change"),
    path("<uuid:code>/rotate/", staff_views.connection_rotate, name="rotate"),
    path("<uuid:code>/switch-off/", staff_views.connection_switch_off, name="switch_off"),
]
