"""Who is asking, and so which people and personal fields they may see: one place for it.

Until roles exist (issue 7) every caller is anonymous: they see only people who agreed to be
listed publicly, and contact details only where the person consented to showing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Viewer:
    """What this caller may see of people."""

    sees_unlisted_people: bool = False

    @property
    def public_only(self) -> bool:
        """Whether people who did not agree to be listed are left out of every answer."""
        return not self.sees_unlisted_people

    def may_see_contact(self, person: dict[str, Any]) -> bool:
        """Contact details only with the person's consent (roles will narrow this further)."""
        return person.get("contactConsent") is True


ANONYMOUS = Viewer()
