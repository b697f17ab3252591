"""The outbox's staff pages, under /staff/outbox/."""

from django.urls import path

from porch.outbox import staff_views

app_name = "outbox"
urlpatterns = [
    path("staff/outbox/", staff_views.staff_list, name="staff_list"),
    path("staff/outbox/<uuid:code>/", staff_views.staff_event, name="staff_event"),
    path("staff/outbox/<uuid:code>/send-again/", staff_views.staff_send_again, name="staff_send_again"),
    path("staff/outbox/<uuid:code>/payload/", staff_views.staff_payload, name="staff_payload"),
]
