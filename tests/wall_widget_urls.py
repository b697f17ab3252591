"""The portal's pages and two deliberately broken ones: the original incident's widget, which
lists every ASB case file whoever asks, and a staff widget listing every household's rent,
repairs, complaints, ASB reports and messages whatever the staff member's role. Used only by
tests/test_database_wall_running.py."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as portal
from porch.asb.models import AsbCase
from porch.complaints.models import Complaint
from porch.core.roles import ORGANISATION_WIDE, PATCH_SCOPED
from porch.core.routes import RESIDENT, audience, staff
from porch.documents.models import Document
from porch.messages.models import Message
from porch.money.models import RentAccount
from porch.repairs.models import Repair


@audience(RESIDENT)
def every_case_file(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (role,) = cursor.fetchone()
    titles = list(Document.objects.filter(type__name="ASB case file").values_list("title", flat=True))
    return JsonResponse({"role": role, "titles": titles})


@audience(staff(*sorted(ORGANISATION_WIDE | PATCH_SCOPED), personal_data=True))
def every_case(request: HttpRequest) -> JsonResponse:
    """What each module's table says, unscoped, for any member of staff who reads households."""
    return JsonResponse(every_case_said())


def every_case_said() -> dict[str, list[str]]:
    said = {
        "rent": RentAccount.objects.order_by("pk").values_list("hms_reference", flat=True),
        "repairs": Repair.objects.order_by("pk").values_list("description", flat=True),
        "complaints": Complaint.objects.order_by("pk").values_list("about", flat=True),
        "asb": AsbCase.objects.order_by("pk").values_list("what_happened", flat=True),
        "messages": Message.objects.order_by("pk").values_list("text", flat=True),
    }
    return {module: list(texts) for module, texts in said.items()}


urlpatterns = [path("every-case-file/", every_case_file), path("every-case/", every_case), *portal]
