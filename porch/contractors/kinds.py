"""The audit log's kind for contractor accounts (made, invited, deactivated)."""

from porch.core.modules import AuditKind

# About an operative's account, not a resident's data: residents are never told of it.
CONTRACTOR_ACCOUNT = AuditKind("contractor_account", "a contractor's account")
