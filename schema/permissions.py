"""Roles on fields: reusable permission classes, and the rules for personal fields.

Guard a mutation or field with a role, e.g. for review mutations::

    @strawberry.mutation(extensions=[PermissionExtension(permissions=[IsSignedIn()])])

The refusal is a client error (code ``UNAUTHENTICATED`` or ``FORBIDDEN``) with a message that
says how to get in; it is never masked as an internal error. Personal fields (marked
``@personal``) resolve through ``profile`` or ``Viewer.may_see_contact``, so anonymous callers
get null.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from strawberry.permission import BasePermission
from strawberry.types import Info

from schema.viewer import Role, Viewer

T = TypeVar("T")
SIGN_IN = (
    "Send an API key (`Authorization: Bearer <key>`) or a bearer token from the hub's "
    "identity provider."
)


def viewer_of(info: Info) -> Viewer:
    return info.context.viewer  # type: ignore[no-any-return]


class _RolePermission(BasePermission):
    allowed: Callable[[Viewer], bool]
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (strawberry reads it as is)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return type(self).allowed(viewer_of(info))


class IsSignedIn(_RolePermission):
    """Members, partner admins and hub admins: anyone the hub authenticated."""

    message = f"Sign in to do this. {SIGN_IN}"
    error_extensions = {"code": "UNAUTHENTICATED"}  # noqa: RUF012
    allowed = staticmethod(lambda viewer: viewer.signed_in)


class IsPartnerAdmin(_RolePermission):
    """Partner admins (for their own partner) and hub admins."""

    message = f"Only partner admins and hub admins may see this. {SIGN_IN}"
    allowed = staticmethod(lambda viewer: viewer.sees_sync_runs)


class IsHubAdmin(_RolePermission):
    """Hub admins only."""

    message = f"Only hub admins may do this. {SIGN_IN}"
    allowed = staticmethod(lambda viewer: viewer.role == Role.HUB_ADMIN)


def profile(info: Info, value: T) -> T | None:
    """A personal profile field's value for this caller: null for anonymous callers."""
    return value if viewer_of(info).may_see_profile() else None
