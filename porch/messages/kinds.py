"""The audit log's kind for messages, declared here so services can record with it and module.py
can register it without importing each other."""

from porch.core.modules import AuditKind, Category, ResidentRule

MESSAGES_DATA = Category(
    "messages",
    "Messages",
    "messages between residents and the landlord's teams: what they wrote, any file they attached, who the "
    "thread is for and which member of staff has it",
)

# One row per person the thread is about: the household now for a shared thread, the one resident
# for a private one. A resident's own read counts as allowed only if it is about them, so a joint
# tenant reading another's private thread would show in the exposure report.
MESSAGE_THREAD = AuditKind(
    "message_thread",
    "a message thread",
    MESSAGES_DATA.key,
    words="messages between you or your household and us",
    residents=ResidentRule.ABOUT_THEM,
)
