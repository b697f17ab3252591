from django.urls import path

from porch.documents import staff_views, views

app_name = "documents"
urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/<uuid:code>/download/", views.document_download, name="download"),
    path("staff/tenancies/<uuid:code>/documents/new/", staff_views.staff_upload, name="staff_upload"),
    path("staff/document-types/", staff_views.staff_types, name="staff_types"),
    path("staff/document-types/<uuid:code>/", staff_views.staff_type_edit, name="staff_type_edit"),
]
