"""Carrying inbox entries to the channels each person chose (tenants/channels.py), after the commit of the
change that caused them, with every attempt recorded.

The inbox entry is the record: it is written in the same transaction as the change (tenants.recipients
.notify_once), so a notice exists exactly when its cause does. Delivery waits for the commit, runs as a
background task (in-process without a broker) and never fails the change: a failed send keeps its error on
its `NotificationDelivery` row and `retry_failed_deliveries` (Celery beat) tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.channels import BY_CODE, CHANNELS, Channel
from tenants.models import Notification, NotificationDelivery, NotificationPreference, User

logger = logging.getLogger("steward.notifications")
MAX_ATTEMPTS = 5


def preference_of(user: User) -> NotificationPreference:
    """The person's saved preference, or the default (e-mail on, SMS and 浙政钉 off) unsaved."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def save_preference(user: User, *, chosen: Iterable[str]) -> NotificationPreference:
    """Turn each channel on or off; a channel that is not connected cannot be chosen."""
    chosen = set(chosen)
    preference = preference_of(user)
    for channel in CHANNELS:
        setattr(preference, channel.code, channel.code in chosen and channel.connected)
    preference.save()
    return preference


def channels_for(user: User) -> list[Channel]:
    """The connected channels this person chose and has an address for."""
    preference = preference_of(user)
    return [
        channel
        for channel in CHANNELS
        if getattr(preference, channel.code) and channel.connected and channel.address_of(user)
    ]


def deliver_after_commit(notification_ids: list[int]) -> None:
    if not notification_ids:
        return
    from tenants.outbox import enqueue
    from tenants.tasks import deliver_notifications

    ids = list(notification_ids)
    transaction.on_commit(lambda: enqueue(deliver_notifications, notification_ids=ids))


def message(notification: Notification) -> tuple[str, str]:
    """Subject and body, in Chinese (the platform's language for notices)."""
    subject = _("【湖州碳管家】%(title)s") % {"title": notification.title}
    link = f"{settings.STEWARD_SITE_URL.rstrip('/')}{notification.link}"
    if notification.enterprise is None:  # a register enterprise without a workspace: the title names it
        body = _(
            "%(title)s\n\n查看：%(link)s\n\n——湖州碳管家（如需调整通知方式，请在“消息 › 通知设置”中修改）"
        ) % {
            "title": notification.title,
            "link": link,
        }
        return subject, body
    body = _(
        "%(title)s\n\n企业：%(enterprise)s\n查看：%(link)s\n\n——湖州碳管家（如需调整通知方式，请在“消息 › 通知设置”中修改）"
    ) % {
        "title": notification.title,
        "enterprise": notification.enterprise.name_zh,
        "link": link,
    }
    return subject, body


def deliver(notification_ids: Iterable[int]) -> int:
    """Send each notice to each channel its person chose, once. Returns how many sends succeeded now."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=list(notification_ids)).select_related(
        "user", "enterprise"
    ):
        for channel in channels_for(notification.user):
            delivery, _created = NotificationDelivery.objects.get_or_create(
                notification=notification,
                channel=channel.code,
                defaults={"address": channel.address_of(notification.user)[:254]},
            )
            sent += _attempt(delivery, notification)
    return sent


def retry_failed() -> int:
    """Try again every delivery that failed fewer than MAX_ATTEMPTS times."""
    sent = 0
    for delivery in NotificationDelivery.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS
    ).select_related("notification__user", "notification__enterprise"):
        sent += _attempt(delivery, delivery.notification)
    return sent


def _attempt(delivery: NotificationDelivery, notification: Notification) -> int:
    if delivery.sent_at is not None:
        return 0
    channel = BY_CODE[delivery.channel]
    adapter = channel.adapter()
    delivery.attempts += 1
    if adapter is None:
        delivery.error = _("渠道未接入")
    else:
        subject, body = message(notification)
        try:
            adapter.send(delivery.address, subject, body)
        except Exception as error:  # any gateway failure is recorded and retried, never raised into the task
            delivery.error = f"{type(error).__name__}: {error}"[:300]
            logger.warning(
                "notification delivery failed",
                extra={"notification": notification.pk, "channel": channel.code, "error": delivery.error},
            )
        else:
            delivery.sent_at, delivery.error = timezone.now(), ""
    delivery.save(update_fields=["attempts", "sent_at", "error"])
    return int(delivery.sent_at is not None)
