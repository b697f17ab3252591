from django.urls import path

from porch.audit import views

app_name = "audit"
urlpatterns = [path("privacy/", views.privacy, name="privacy")]
