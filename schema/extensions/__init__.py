"""The schema's extensions, one concern a module, all on strawberry's public extension API.

In the order a request meets them: the token limit while parsing, the parse and validation
caches, the depth and alias rule added to validation (``limits``), the operation's name noted
for metrics (``operation_name``), the cost limit before execution (``cost``), and the masking
of internal errors (``masking``).
"""

from __future__ import annotations

from strawberry.extensions import MaxTokensLimiter, ParserCache, ValidationCache

from schema.extensions.cost import QueryCost
from schema.extensions.limits import QueryLimits
from schema.extensions.masking import MaskInternalErrors
from schema.extensions.operation_name import RecordOperation

MAX_TOKENS = 2000
CACHED_DOCUMENTS = 256
"""Distinct documents whose parse and validation are kept (bounded LRUs)."""

EXTENSIONS = [
    lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
    lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
    QueryLimits,
    lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
    RecordOperation,
    QueryCost,
    MaskInternalErrors,
]
