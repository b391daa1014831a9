"""Who is asking, and so which people and personal fields they may see: one place for it.

Four roles. Anonymous callers (the public, partner widgets) see only people whose source says
they agreed to be listed, and of them only name, role and organisations. Members (signed-in
improvers) see everyone the sources list, and contact details where the person consented.
Partner admins are members who also see their own partner's sync runs; hub admins see all.
The hub decides the role (``hub.web.auth``); resolvers only ask the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    MEMBER = "member"
    PARTNER_ADMIN = "partner_admin"
    HUB_ADMIN = "hub_admin"


SIGNED_IN_ROLES = (Role.MEMBER, Role.PARTNER_ADMIN, Role.HUB_ADMIN)


@dataclass(frozen=True)
class Viewer:
    """The caller of one request, as the hub authenticated them."""

    role: Role = Role.ANONYMOUS
    partner: str | None = None
    """The partner a partner admin acts for (None for every other role)."""
    subject: str | None = None
    """Who, without secrets: ``key:<id>`` for an API key, ``oidc:<sub>`` for a token."""

    def __post_init__(self) -> None:
        if (self.role == Role.PARTNER_ADMIN) != (self.partner is not None):
            raise ValueError("a partner admin, and only a partner admin, acts for a partner")

    @property
    def signed_in(self) -> bool:
        return self.role != Role.ANONYMOUS

    @property
    def public_only(self) -> bool:
        """Whether people who did not agree to be listed are left out of every answer."""
        return not self.signed_in

    def may_see_profile(self) -> bool:
        """Personal fields beyond name, role and organisations (ORCID, bio, offers)."""
        return self.signed_in

    def may_see_contact(self, person: dict[str, Any]) -> bool:
        """Contact details: to signed-in callers, and only with the person's consent."""
        return self.signed_in and person.get("contactConsent") is True

    @property
    def sees_sync_runs(self) -> bool:
        return self.role in (Role.PARTNER_ADMIN, Role.HUB_ADMIN)

    @property
    def sync_runs_partner(self) -> str | None:
        """The partner whose sync runs this caller is limited to (None: all, for hub admins)."""
        return self.partner if self.role == Role.PARTNER_ADMIN else None


ANONYMOUS = Viewer()
