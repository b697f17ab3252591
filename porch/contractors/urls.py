"""Contractor accounts: the staff's list of firms, a firm administrator's team, invitations."""

from django.urls import path

from porch.contractors import views

app_name = "contractors"
urlpatterns = [
    path("staff/contractor-firms/", views.firms, name="firms"),
    path("jobs/team/", views.team, name="team"),
    path("jobs/team/<uuid:code>/deactivate/", views.deactivate, name="deactivate"),
    path("contractor-invitation/<str:token>/", views.invitation, name="invitation"),
]
