"""What every record's life uses: one step per transaction, the row locked with "someone acted first", the
transition taken through viewflow's FSM on behalf of a person, a line on the record's timeline, and the list
of transitions a person may take now (the buttons a page draws).

The record modules (monthly_filing, annual_report, execution_report) are built from these; they guard and
sequence, the domain services in steward/ compute and write.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.fsm import State, TransitionNotAllowed
from viewflow.fsm.base import TransitionMethod

from steward import events
from steward.history import attributed
from tenants.access import WorkspaceAccess, may_act


class Conflict(ValidationError):
    """The record changed under the person's feet: someone else acted first (code `conflict`); HTTP 409."""

    http_status = 409


def step(function):
    """One use case: attributed history, one transaction, one unit of work for the published events (the
    read model is projected once, at the end, still inside the transaction)."""
    return attributed(transaction.atomic(events.in_unit_of_work(function)))


def locked(record, expected: Iterable[str] | None, message: str):
    """Re-read `record` FOR UPDATE; `Conflict` when its status is no longer one of `expected`. `message` takes
    `%(status)s`, the status it has now."""
    fresh = type(record).objects.select_for_update().get(pk=record.pk)
    if expected is not None and fresh.status not in set(expected):
        raise Conflict(message, code="conflict", params={"status": fresh.get_status_display()})
    return fresh


def require(grant: WorkspaceAccess, act: str) -> None:
    """For steps that are not transitions (waive a finding, request a reopen): PermissionDenied(act)."""
    if not may_act(grant, act):
        raise PermissionDenied(act)


def permission(act: str):
    """A transition's `permission=`: the act of tenants.access the flow's grant must hold."""

    def check(flow, user) -> bool:
        return may_act(flow.grant, act)

    check.act = act
    return check


class Unmet(State.CONDITION):
    """A condition's answer that a page and the API can show: a Chinese message, a code, and the items that
    stand in the way (for example the open findings)."""

    def __init__(self, is_true: bool, unmet: str = "", *, code: str = "conditions_unmet", items=()):
        super().__init__(is_true, unmet)
        self.code = code
        self.items = list(items)


class TransitionRefused(ValidationError):
    """A transition's condition is unmet; `items` lists what stands in the way."""

    def __init__(self, message: str, *, code: str, items=()):
        super().__init__(message, code=code)
        self.items = list(items)


def transition_names(flow) -> list[str]:
    return [
        name for name, _member in inspect.getmembers(type(flow), lambda m: isinstance(m, TransitionMethod))
    ]


def check_transition(flow, name: str, user) -> None:
    """Before the step's work: ValidationError `not_allowed` when the record's state has no transition
    `name`, PermissionDenied when this person's act does not allow it."""
    method = getattr(flow, name)
    if not method.can_proceed(check_conditions=False):
        raise ValidationError(_("当前状态下不能执行此操作。"), code="not_allowed")
    if not method.has_perm(user):
        raise PermissionDenied(name)


def run_transition(flow, name: str, user) -> None:
    """Take transition `name` of `flow` as `user`: PermissionDenied when their act does not allow it,
    ValidationError `not_allowed` when the record's state has no such transition, TransitionRefused (with the
    condition's code and items) when a condition is unmet."""
    check_transition(flow, name, user)
    method = getattr(flow, name)
    unmet = _unmet(flow, method)
    if unmet is not None:
        message, code, items = unmet
        raise TransitionRefused(message, code=code, items=items)
    try:
        method()
    except (
        TransitionNotAllowed
    ) as error:  # pragma: no cover - checked above; kept so viewflow has the last word
        raise ValidationError(_("当前状态下不能执行此操作。"), code="not_allowed") from error


def _unmet(flow, method) -> tuple[str, str, list] | None:
    transition = method._descriptor.get_transition(method._state.get(flow))
    found = transition.get_unmet_condition(flow)
    if found is None:
        return None
    _condition, result = found
    if isinstance(result, Unmet):
        return result.unmet, result.code, result.items
    return getattr(result, "message", "") or _("条件不满足，不能执行此操作。"), "conditions_unmet", []


def available(flow, user) -> frozenset[str]:
    """The transitions this person may take from the record's state now. Conditions are not applied: a
    submit with open findings is offered and refused with the list of findings."""
    names = set()
    for name in transition_names(flow):
        method = getattr(flow, name)
        if method.can_proceed(check_conditions=False) and method.has_perm(user):
            names.add(name)
    return frozenset(names)
