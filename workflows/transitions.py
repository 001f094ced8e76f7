"""Taking one step of a workflow on behalf of a person, the same way for every flow."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.fsm import TransitionNotAllowed


def run_transition(flow, name: str, user) -> None:
    """Take transition `name` of `flow` as `user`: PermissionDenied when their role may not take it,
    ValidationError when the record is not in a state that allows it."""
    method = getattr(flow, name)
    if not method.has_perm(user):
        raise PermissionDenied(name)
    try:
        method()
    except TransitionNotAllowed as error:
        raise ValidationError(str(error), code="not_allowed") from error
