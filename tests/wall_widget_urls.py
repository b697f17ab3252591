"""The portal's pages and one deliberately broken page: the original incident's widget, which
lists every ASB case file whoever asks. Used only by tests/test_database_wall_running.py."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as portal
from porch.core.routes import RESIDENT, audience
from porch.documents.models import Document


@audience(RESIDENT)
def every_case_file(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (role,) = cursor.fetchone()
    titles = list(Document.objects.filter(type__name="ASB case file").values_list("title", flat=True))
    return JsonResponse({"role": role, "titles": titles})


urlpatterns = [path("every-case-file/", every_case_file), *portal]
