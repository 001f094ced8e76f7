from django.utils.translation import gettext_lazy as _

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
