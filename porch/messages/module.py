"""Messages: residents write to the landlord's teams in threads, shared with the tenancy's
account holders or private; each team works a shared inbox (ADR 0031)."""

from __future__ import annotations

from porch.core.modules import Link, Module, Owner, PersonalModel, Switch, register
from porch.messages import urls
from porch.messages.demo import demo_messages
from porch.messages.kinds import MESSAGE_THREAD, MESSAGES_DATA
from porch.messages.synthetic import synthetic_threads_create, thread_codes
from porch.messages.teams import READERS

MESSAGES = Switch("messages", "Messages")

register(
    Module(
        # The app label: "messages" is django.contrib.messages'.
        app="messaging",
        name="Messages",
        switch=MESSAGES,
        # Every row carries its tenancy: the thread and each message. A private thread narrows
        # the residents who see it to one (Thread.private_to), never the staff.
        personal=(
            PersonalModel("messaging.Thread", Owner.TENANCY, "tenancy", staff_readers=READERS),
            PersonalModel("messaging.Message", Owner.TENANCY, "tenancy", staff_readers=READERS),
        ),
        categories=(MESSAGES_DATA,),
        audit_kinds=(MESSAGE_THREAD,),
        pages=urls.PAGES,
        resident_links=(Link("messages:list", "Messages"),),
        staff_links=(Link("messages:staff_inbox", "Messages", "each team's inbox of messages from residents"),),
        probe_ids=thread_codes,
        synthetic=synthetic_threads_create,
        demo=demo_messages,
        write_about="messages:new",
    )
)
