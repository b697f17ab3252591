"""Residents' notices under /notices/, and the staff's under /staff/notices/ (one namespace)."""

from django.urls import path

from porch.notices import staff_views, views

app_name = "notices"
urlpatterns = [
    path("notices/", views.notice_list, name="list"),
    path("staff/notices/", staff_views.staff_list, name="staff_list"),
    path("staff/notices/new/", staff_views.staff_new, name="staff_new"),
    path("staff/notices/<uuid:code>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/notices/<uuid:code>/withdraw/", staff_views.staff_withdraw, name="staff_withdraw"),
]
