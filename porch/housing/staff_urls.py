"""The back office's queue of details change requests, under /staff/change-requests/."""

from django.urls import path

from porch.housing import staff_views

app_name = "changes"
urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<uuid:code>/", staff_views.detail, name="detail"),
    path("<uuid:code>/approve/", staff_views.approve, name="approve"),
    path("<uuid:code>/decline/", staff_views.decline, name="decline"),
]
