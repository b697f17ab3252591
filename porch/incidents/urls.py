from django.urls import path

from porch.incidents import oncall_views, views

app_name = "incidents"
urlpatterns = [
    path("report-a-privacy-problem/", views.report, name="report"),
    path("staff/privacy-problems/new/", views.log_call, name="log_call"),
    path("staff/privacy-problems/", views.incidents, name="list"),
    path("staff/privacy-problems/<uuid:code>/", views.incident, name="incident"),
    path("staff/privacy-problems/<uuid:code>/status/", views.incident_status, name="incident_status"),
    path("staff/privacy-problems/<uuid:code>/contain/", views.incident_contain, name="incident_contain"),
    path("staff/privacy-problems/<uuid:code>/details/", views.incident_details, name="incident_details"),
    path("staff/privacy-problems/<uuid:code>/owner/", views.incident_owner, name="incident_owner"),
    path("staff/privacy-problems/<uuid:code>/ico-decision/", views.incident_ico, name="incident_ico"),
    path("staff/privacy-problems/<uuid:code>/ico-told/", views.incident_ico_told, name="incident_ico_told"),
    path("staff/privacy-problems/<uuid:code>/affected-people/", views.incident_affected, name="incident_affected"),
    path("staff/privacy-problems/<uuid:code>/review/", views.incident_review, name="incident_review"),
    path("staff/privacy-problems/<uuid:code>/join/", views.incident_join, name="incident_join"),
    path("staff/privacy-problems/<uuid:code>/near-miss/", views.incident_near_miss, name="incident_near_miss"),
    # Near misses recorded after the fact, and drills.
    path("staff/privacy-problems/near-misses/new/", views.near_miss_new, name="near_miss_new"),
    path("staff/privacy-problems/drills/", views.drills_list, name="drills"),
    path("staff/privacy-problems/drills/start/", views.drill_start, name="drill_start"),
    # On call: the rota, and acknowledging a call.
    path("on-call/acknowledge/<str:token>/", oncall_views.acknowledge, name="acknowledge"),
    path("staff/on-call/", oncall_views.rota, name="rota"),
    path("staff/on-call/<uuid:code>/remove/", oncall_views.rota_remove, name="rota_remove"),
    path(
        "staff/privacy-problems/<uuid:code>/acknowledge/",
        oncall_views.incident_acknowledge,
        name="incident_acknowledge",
    ),
]
