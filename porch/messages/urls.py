"""Messages' pages, residents' and staff's, under the one "messages" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from porch.messages import staff_views, views

app_name = "messages"

urlpatterns: list[URLPattern] = [
    path("messages/", views.thread_list, name="list"),
    path("messages/new/", views.thread_new, name="new"),
    path("messages/<uuid:code>/", views.thread_detail, name="detail"),
    path("messages/<uuid:code>/reply/", views.thread_reply, name="reply"),
    path("messages/files/<uuid:code>/", views.attachment, name="attachment"),
    path("staff/messages/", staff_views.staff_inbox, name="staff_inbox"),
    path("staff/messages/<uuid:code>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/messages/<uuid:code>/reply/", staff_views.staff_reply, name="staff_reply"),
    path("staff/messages/<uuid:code>/take/", staff_views.staff_take, name="staff_take"),
    path("staff/messages/<uuid:code>/give/", staff_views.staff_assign, name="staff_assign"),
    path("staff/messages/<uuid:code>/no-reply-needed/", staff_views.staff_settle, name="staff_settle"),
    path("staff/messages/files/<uuid:code>/", staff_views.staff_attachment, name="staff_attachment"),
]

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {
    "messages:list": "Residents: Your messages",
    "messages:new": "Residents: Send us a message",
    "messages:detail": "Residents: A message thread",
    "messages:reply": "Residents: Reply to a message thread",
    "messages:attachment": "Residents: A file attached to a message",
    "messages:staff_inbox": "Staff: A team's message inbox",
    "messages:staff_detail": "Staff: A message thread",
    "messages:staff_reply": "Staff: Reply to a message thread",
    "messages:staff_take": "Staff: Take a message thread",
    "messages:staff_assign": "Staff: Give a message thread to a colleague",
    "messages:staff_settle": "Staff: Mark a message thread as needing no reply",
    "messages:staff_attachment": "Staff: A file attached to a message",
}
