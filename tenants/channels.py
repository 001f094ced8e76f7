"""The ways a notice leaves the platform besides the inbox: e-mail, SMS and 浙政钉 (Zhejiang's government
messaging app), each behind one small adapter interface.

E-mail goes through Django's mail framework (SMTP settings from the environment, steward/settings.py). SMS and
浙政钉 need a gateway contract the platform does not have yet: `STEWARD_SMS_ADAPTER` / `STEWARD_ZZD_ADAPTER` name
a class (dotted path) with `send(address, subject, body)`; without one the channel is "not connected" and
people cannot choose it. An adapter raises on failure; the delivery row keeps the error and is retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class Adapter(Protocol):
    def send(self, address: str, subject: str, body: str) -> None: ...


class EmailAdapter:
    def send(self, address: str, subject: str, body: str) -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)


@dataclass(frozen=True)
class Channel:
    code: str  # a NotificationPreference.Channel value and the preference field
    label: str
    adapter_setting: str | None  # None: always connected (e-mail)

    def adapter(self) -> Adapter | None:
        if self.adapter_setting is None:
            return EmailAdapter()
        path = getattr(settings, self.adapter_setting, "")
        return import_string(path)() if path else None

    @property
    def connected(self) -> bool:
        return self.adapter_setting is None or bool(getattr(settings, self.adapter_setting, ""))

    def address_of(self, user) -> str:
        return user.email if self.code == "email" else user.phone


CHANNELS = (
    Channel("email", _("电子邮件"), None),
    Channel("sms", _("短信"), "STEWARD_SMS_ADAPTER"),
    Channel("zzd", _("浙政钉"), "STEWARD_ZZD_ADAPTER"),
)
BY_CODE = {channel.code: channel for channel in CHANNELS}
