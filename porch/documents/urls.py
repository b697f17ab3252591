from django.urls import path

from porch.documents import views

app_name = "documents"
urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/<uuid:code>/download/", views.document_download, name="download"),
]
