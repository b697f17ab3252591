from django.urls import path

from porch.rollout import views

app_name = "rollout"
urlpatterns = [
    path("switches/", views.switches, name="switches"),
    path("switches/<slug:module>/off/", views.switch_off, name="switch_off"),
    path("switches/<slug:module>/on/", views.switch_on, name="switch_on"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<uuid:code>/", views.decide, name="decide"),
]
