from django.urls import path

from porch.exposure import views

app_name = "exposure"
urlpatterns = [
    path("staff/exposure/", views.report, name="report"),
    path("staff/exposure/runs/<uuid:code>/", views.run, name="run"),
    path("staff/exposure/runs/<uuid:code>/people.csv", views.run_csv, {"part": "people"}, name="people_csv"),
    path(
        "staff/exposure/runs/<uuid:code>/recipients.csv", views.run_csv, {"part": "recipients"}, name="recipients_csv"
    ),
    path("staff/exposure/runs/<uuid:code>/try-again/", views.run_retry, name="run_retry"),
    path("staff/who-saw/", views.who_saw, name="who_saw"),
    path("staff/who-saw/events.csv", views.who_saw_csv, name="who_saw_csv"),
    path("staff/session-seen/", views.session_seen, name="session"),
    path("staff/session-seen/events.csv", views.session_seen_csv, name="session_csv"),
    path("staff/privacy-problems/<uuid:code>/ico-report/", views.ico_report, name="ico_report"),
]
