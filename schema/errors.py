"""Errors a client caused and can fix, as opposed to internal ones (which are masked)."""

from __future__ import annotations


class UserError(Exception):
    """A request the API refuses with a message saying what to change; never masked."""
