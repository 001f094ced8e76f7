"""What a bank read, attached to the enterprise's access log entry of that request (public schema, append-only)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Bank, BankConsent

ITEM_LABELS = {
    "grade": _("碳效码等级"),
    "emissions": _("年度排放量"),
    "intensity": _("排放强度趋势"),
    "seal_status": _("存证状态"),
    "verification": _("存证核验文件"),
}


class BankRead(models.Model):
    """One bank request for an enterprise's figures: which bank, under which consent, which items."""

    entry = models.OneToOneField(
        "oversight.AccessLogEntry", on_delete=models.PROTECT, related_name="bank_read"
    )
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(BankConsent, on_delete=models.PROTECT, related_name="reads")
    items = models.CharField(_("查看内容"), max_length=120)
    subject = models.CharField(_("对象"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("银行查看记录")

    def __str__(self) -> str:
        return f"{self.bank_id} {self.items} {self.subject}"

    def item_labels(self) -> list[str]:
        return [str(ITEM_LABELS.get(item, item)) for item in self.items.split(",") if item]
