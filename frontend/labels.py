from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ROLE_LABELS = {
    "enterprise_admin": _("企业管理员"),
    "enterprise_filer": _("企业填报员（EHS）"),
    "enterprise_signatory": _("企业签字人"),
    "steward_reviewer": _("管家审核员"),
    "steward_manager": _("管家项目经理"),
    "bureau_viewer": _("监管查看员"),
    "bureau_inspector": _("监管检查员"),
    "platform_admin": _("平台管理员"),
}

# Finding severities of the rule pack (steward.quality.registry), as people read them; the badge class gives the
# colour: 阻断 red, 警告 amber, 提示 blue.
SEVERITY_LABELS = {
    "blocking": pgettext_lazy("finding severity", "阻断"),
    "warning": pgettext_lazy("finding severity", "警告"),
    "info": pgettext_lazy("finding severity", "提示"),
}
SEVERITY_CLASSES = {
    "blocking": "severity-blocking",
    "warning": "severity-warning",
    "info": "severity-info",
}
