"""The request as a page for signed-in users sees it, for type checking views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from porch.core.types import PorchRequest

if TYPE_CHECKING:
    from porch.accounts.models import User


class SignedInRequest(PorchRequest):
    # Django types request.user as the user model or AnonymousUser. A view declared for a
    # signed-in audience (SIGNED_IN, SETTING_UP, ...) is only reached with a signed-in user.
    user: User
