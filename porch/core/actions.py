"""What an actor asks to do with an object, for the access helpers whose answer differs
by action. An access helper takes `action` only if it checks it: where every action has
the same rule, there is no parameter to suggest otherwise."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    VIEW = "view"
    UPLOAD = "upload"  # add documents to a tenancy
    CHANGE = "change"  # change a setting (who may see a type of document)
    DECIDE = "decide"  # decide a request (a change to personal details)
