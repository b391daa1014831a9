"""The name and type of the operation a request runs, noted in the context: the name for
metrics and logs, the type so a hub that ran a mutation reads the graph's version again."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension


class RecordOperation(SchemaExtension):
    """Notes the operation's name and type in the context (``operation_name``,
    ``operation_type``), once they are known."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if hasattr(context.context, "operation_name"):
            with contextlib.suppress(RuntimeError):  # no operation in the document
                context.context.operation_name = context.operation_name
                context.context.operation_type = context.operation_type
        yield
