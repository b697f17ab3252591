from django.urls import path

from porch.portal import views

app_name = "portal"
urlpatterns = [
    path("my-details/", views.my_details, name="my_details"),
    path("my-details/change/", views.change_request, name="change_request"),
    path("privacy/", views.privacy, name="privacy"),
]
