"""The name of the operation a request runs, noted in the context for metrics and logs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension


class RecordOperation(SchemaExtension):
    """Notes the operation's name in the context (``operation_name``), once it is known."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if hasattr(context.context, "operation_name"):
            with contextlib.suppress(RuntimeError):  # no operation in the document
                context.context.operation_name = context.operation_name
        yield
