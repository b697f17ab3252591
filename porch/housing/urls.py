from django.urls import path

from porch.housing import views

app_name = "housing"
urlpatterns = [
    path("my-details/", views.my_details, name="my_details"),
    path("my-details/change/", views.change_request, name="change_request"),
]
