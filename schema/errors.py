"""Errors a client caused and can fix, as opposed to internal ones (which are masked)."""

from __future__ import annotations


class UserError(Exception):
    """A request the API refuses with a message saying what to change; never masked."""


class InvalidInput(UserError):
    """Bad input, every bad field named with what to change: ``extensions.fields`` lists
    ``{field, message}`` (a path such as ``input.topics[1]``); the message joins them."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors))
        self.fields = errors
        self.extensions = {
            "code": "BAD_USER_INPUT",
            "fields": [{"field": field, "message": message} for field, message in errors],
        }


class Refused(UserError):
    """A request the caller may not make, or not now; ``code`` says which kind."""

    def __init__(self, message: str, code: str = "BAD_USER_INPUT", **more: object) -> None:
        super().__init__(message)
        self.extensions = {"code": code, **more}
