"""Sending background tasks so that a broker outage is recorded, not fatal.

`enqueue` is what code calls after a commit instead of `task.delay`: when Redis refuses the message the task
is stored as a `QueuedTask` row (and logged), and the request that caused it carries on;
`tenants.tasks.relay_queued_tasks` re-sends the stored rows when the broker answers again. Without a broker (eager mode)
tasks run in-process as before.
"""

from __future__ import annotations

import logging

from kombu.exceptions import OperationalError

from steward.celery import app
from tenants.models import QueuedTask

logger = logging.getLogger("steward.tasks")
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def enqueue(task, **kwargs) -> bool:
    """Send `task` with `kwargs`; False (and a stored row to retry) when the broker is unreachable."""
    if app.conf.task_always_eager:
        task.apply_async(kwargs=kwargs)
        return True
    try:
        task.apply_async(kwargs=kwargs)
    except BROKER_ERRORS as error:
        QueuedTask.objects.create(name=task.name, kwargs=kwargs, error=str(error)[:300])
        logger.warning(
            "broker unavailable, task kept for the relay", extra={"task": task.name, "error": str(error)}
        )
        return False
    return True
