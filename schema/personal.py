"""Personal data: the ``@personal`` marker on fields, and the one check that guards them."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.schema_directive import Location
from strawberry.types import Info


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    description=(
        "Personal data: shown only to callers allowed to see it, and only where the person "
        "consented. Null otherwise."
    ),
)
class Personal:
    pass


def may_see_contact(info: Info, person: dict[str, Any]) -> bool:
    """Whether this caller may see this person's contact details: the single check."""
    return bool(info.context.viewer.may_see_contact(person))
