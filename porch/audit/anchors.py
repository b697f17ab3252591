"""Anchors: from time to time, the newest row of every chain, sealed together with AUDIT_KEY.

Each chain alone shows a row changed or removed from its middle. What it cannot show is rows
removed from its end. An anchor names each chain's newest row at its moment, and is sealed
(and seals the anchor before it) with the key, so removing rows from the end of a chain, or
removing an anchor, is caught by `audit_verify` for everything before the newest anchor.
`manage.py audit_anchor` writes one; run it every minute (ADR 0013)."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from porch.audit.append import chains, where_it_ends
from porch.audit.chain import GENESIS, anchor_seal
from porch.audit.models import Anchor

logger = logging.getLogger("porch.audit")
ATTEMPTS = 10


def write_anchor() -> Anchor:
    """Seal every chain's newest row now. Two runs at once (a slow run overlapping the next,
    or one on each server) cannot both follow the same anchor: the database takes one, and
    the other seals again after it."""
    for _ in range(ATTEMPTS):
        previous = newest_seal()
        at = timezone.now()
        heads = _heads()
        anchor = Anchor(at=at, heads=heads, previous_seal=previous, seal=anchor_seal(previous, at.isoformat(), heads))
        try:
            with transaction.atomic():
                anchor.save()
        except IntegrityError:
            continue
        # A copy outside the database: whoever can rewrite the database cannot unsay the log.
        logger.info("audit anchor %s at %s sealed %s", anchor.pk, at.isoformat(), anchor.seal)
        return anchor
    raise RuntimeError("could not write an audit anchor: others kept writing first")


def newest_seal() -> str:
    return Anchor.objects.order_by("-id").values_list("seal", flat=True).first() or GENESIS


def _heads() -> dict[str, str]:
    """Each chain's newest row hash, one indexed look-up a chain (never a scan of the log)."""
    heads = {str(chain): where_it_ends(chain).row_hash for chain in range(1, chains() + 1)}
    return {chain: row_hash for chain, row_hash in heads.items() if row_hash != GENESIS}


def anchor_problem(anchor: Anchor, previous_seal: str) -> str:
    """Why an anchor's seal does not hold, or "" when it does."""
    if anchor.previous_seal != previous_seal:
        return "does not follow the anchor before it (an anchor was removed)"
    if anchor.seal != anchor_seal(anchor.previous_seal, anchor.at.isoformat(), anchor.heads):
        return "was changed after it was written, or was not written with the audit key"
    return ""
