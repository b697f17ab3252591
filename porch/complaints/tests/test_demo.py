"""The demo's complaints: the complaints handler's login and Alice's complaint, at stage 1 with
its response due, seen by Alice and in the handler's queue."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import sign_in
from porch.accounts.models import User
from porch.complaints.models import Complaint
from porch.demo import seed as demo
from porch.housing.cast import demo_email


def test_the_demo_has_a_handler_and_alices_complaint_with_a_response_due(db: Any, settings: Any, tmp_path: Any) -> None:
    settings.DEBUG = True
    settings.BANK_HOLIDAYS_REGION = "ENG"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.seed(60)
    handler = User.objects.get(username=demo_email("complaints"))
    assert handler.role_grants.filter(role="complaints_handler").exists()
    assert handler.check_password(demo.DEMO_PASSWORD)
    complaint = Complaint.objects.get()
    stage = complaint.stages.get()
    assert complaint.stage == 1 and stage.acknowledged_on and stage.responded_on is None
    assert complaint.due_on == stage.respond_by
    alice = sign_in(Client(), User.objects.get(username=demo_email("alice")))
    page = alice.get(f"/complaints/{complaint.uuid}/").content.decode()
    assert "We must respond by" in page and "extractor fan" in page
    assert "job history" not in page  # the handler's internal note
    queue = sign_in(Client(), handler).get("/staff/complaints/").context["complaints"]
    assert [c.pk for c in queue] == [complaint.pk]
