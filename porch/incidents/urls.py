from django.urls import path

from porch.incidents import views

app_name = "incidents"
urlpatterns = [
    path("report-a-privacy-problem/", views.report, name="report"),
    path("staff/privacy-problems/new/", views.log_call, name="log_call"),
    path("staff/privacy-problems/", views.incidents, name="list"),
    path("staff/privacy-problems/<uuid:code>/", views.incident, name="incident"),
    path("staff/privacy-problems/<uuid:code>/status/", views.incident_status, name="incident_status"),
    path("staff/privacy-problems/<uuid:code>/contain/", views.incident_contain, name="incident_contain"),
]
