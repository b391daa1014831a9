"""Who may see and decide what about a submission: one place for it (the API and the file
downloads both ask here).

The submitter sees their own submissions whatever their status. Moderators are hub admins for
every submission, and partner admins for those of their own partner (any partner whose
sources list the submission's organisation); only a hub admin
approves a submission that names a new organisation (approving confirms the organisation).
Everyone else sees approved submissions only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schema.viewer import Role, Viewer


def is_submitter(viewer: Viewer, submission: Mapping[str, Any]) -> bool:
    return (
        viewer.signed_in
        and viewer.subject is not None
        and (submission.get("submitter") == viewer.subject)
    )


def may_moderate(viewer: Viewer, submission: Mapping[str, Any]) -> bool:
    if viewer.role == Role.HUB_ADMIN:
        return True
    return viewer.role == Role.PARTNER_ADMIN and viewer.partner in (
        submission.get("partners") or ()
    )


def may_approve(viewer: Viewer, submission: Mapping[str, Any]) -> bool:
    if submission.get("newOrganisationName"):
        return viewer.role == Role.HUB_ADMIN
    return may_moderate(viewer, submission)


def may_read(viewer: Viewer, submission: Mapping[str, Any]) -> bool:
    return (
        submission.get("status") == "approved"
        or is_submitter(viewer, submission)
        or may_moderate(viewer, submission)
    )
