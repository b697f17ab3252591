"""What a connection may be allowed to do: send batches of each feed entity, and read the outbox."""

from __future__ import annotations

from porch.feed.entities import ENTITIES

OUTBOX = "outbox"


def scope_choices() -> list[tuple[str, str]]:
    """Every scope, in the words a system administrator reads, in the order a full load sends."""
    sending = [(name, f"Send {entity.layout.title.lower()}") for name, entity in ENTITIES.items()]
    return [*sending, (OUTBOX, "Read the updates waiting for the housing system (the outbox)")]


def scope_names() -> frozenset[str]:
    return frozenset(name for name, _ in scope_choices())


def scope_words(scopes: list[str]) -> list[str]:
    """The words for the scopes given, in the order of the choices."""
    return [words for name, words in scope_choices() if name in scopes]
