"""Personal data: the ``@personal`` marker on fields, and the one check that guards contact.

Every field about a person beyond their name, role and organisations carries ``@personal``:
anonymous callers get null there. Contact details also need the person's consent.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.schema_directive import Location
from strawberry.types import Info

PROFILE_HELP = "Personal data: null for anonymous callers."


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    description=(
        "Personal data: null for anonymous callers; contact details also need the person's consent."
    ),
)
class Personal:
    pass


def may_see_contact(info: Info, person: dict[str, Any]) -> bool:
    """Whether this caller may see this person's contact details: the single check."""
    return bool(info.context.viewer.may_see_contact(person))
