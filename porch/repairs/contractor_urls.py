"""The contractor pages of repairs: included by urls.py under the one "repairs" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from porch.repairs import contractor_views as views

urlpatterns: list[URLPattern] = [
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<uuid:code>/", views.job, name="job"),
    path("jobs/<uuid:code>/accept/", views.job_accept, name="job_accept"),
    path("jobs/<uuid:code>/visit/", views.job_visit, name="job_visit"),
    path("jobs/<uuid:code>/note/", views.job_note, name="job_note"),
    path("jobs/<uuid:code>/complete/", views.job_complete, name="job_complete"),
    path("jobs/photos/<uuid:code>/", views.job_photo, name="job_photo"),
]

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {
    "repairs:jobs": "Contractors: Your jobs",
    "repairs:job": "Contractors: A job",
    "repairs:job_accept": "Contractors: Accept a job",
    "repairs:job_visit": "Contractors: Arrange a visit",
    "repairs:job_note": "Contractors: Add a progress note",
    "repairs:job_complete": "Contractors: Mark a job complete",
    "repairs:job_photo": "Contractors: A photo of a job",
}
