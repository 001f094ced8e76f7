"""A believable Huzhou world for the demo and the browser tests. Loading it twice changes nothing.

Names are fictional; credit codes are generated with valid GB 32100-2015 check characters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from steward.demo.period import last_month
from tenants.credit_code import check_character
from tenants.models import (
    Bank,
    BankConsent,
    BankConsentRevocation,
    BankMembership,
    Bureau,
    BureauMembership,
    Engagement,
    Enterprise,
    EnterpriseMembership,
    Industry,
    Jurisdiction,
    StewardFirm,
    StewardMembership,
    User,
)
from tenants.services import onboard_enterprise

DEMO_PASSWORD = "huzhou-demo-2024"
# Every demo person has held their enterprise role since the demo world's first compliance year.
ROLES_HELD_SINCE = datetime.date(2019, 1, 1)


def credit_code(division: str, organisation: str) -> str:
    first_17 = f"91{division}{organisation}"
    return first_17 + check_character(first_17)


@dataclass(frozen=True)
class DemoEnterprise:
    slug: str
    name_zh: str
    name_en: str
    division: str
    organisation: str
    industry: str
    carbon_market: bool
    permit_key_unit: bool
    efficiency: bool


ENTERPRISES = [
    DemoEnterprise(
        "cx-power",
        "长兴湖能发电有限公司",
        "Changxing Huneng Power Co.",
        "330522",
        "MA2B3C4D5",
        "4411",
        True,
        True,
        True,
    ),
    DemoEnterprise(
        "wx-cement",
        "湖州青山水泥有限公司",
        "Huzhou Qingshan Cement Co.",
        "330502",
        "MA2C4D6E7",
        "3011",
        True,  # cement clinker is in the national market from the 2024 management year
        True,
        True,
    ),
    DemoEnterprise(
        "nx-dyeing",
        "南浔丝韵印染有限公司",
        "Nanxun Siyun Dyeing Co.",
        "330503",
        "MA2D5E7F8",
        "1713",
        False,
        True,
        True,
    ),
    DemoEnterprise(
        "dq-fibre",
        "德清新纶化纤有限公司",
        "Deqing Xinlun Chemical Fibre Co.",
        "330521",
        "MA2E6F8G9",
        "2822",
        False,
        True,
        True,
    ),
    DemoEnterprise(
        "aj-wood",
        "安吉竹乡木业有限公司",
        "Anji Zhuxiang Wood Products Co.",
        "330523",
        "MA2F7G9H1",
        "2021",
        False,
        False,
        True,
    ),
    DemoEnterprise(
        "nth-paper",
        "南太湖远航纸业有限公司",
        "South Taihu Yuanhang Paper Co. (boiler user)",
        "330500",
        "MA2G8H1J2",
        "2221",
        False,
        True,
        True,
    ),
]
ENTERPRISE_JURISDICTION = {"nth-paper": "NTH"}

FIRMS = [
    ("greencarbon", "浙江绿碳环境科技有限公司", "330502", "MA2H9J2K3"),
    ("qingyuan", "湖州清源环保咨询有限公司", "330503", "MA2J1K3L4"),
]

BUREAUS = [
    ("city", "湖州市生态环境局", "330500"),
    ("wuxing", "湖州市生态环境局吴兴分局", "330502"),
    ("changxing", "湖州市生态环境局长兴分局", "330522"),
]

# A bank that prices 碳效贷 on consented figures (issue 19 item 6).
BANKS = [("huzhou", "湖州银行股份有限公司", "330500", "MA2K2L4M5")]

# (username, display name, kind, target, role)
PEOPLE = [
    ("platform", "平台运维 管理员", "platform", None, None),
    ("power.admin", "沈建国", "enterprise", "cx-power", "enterprise_admin"),
    ("power.filer", "钱晓燕", "enterprise", "cx-power", "enterprise_filer"),
    ("power.signatory", "陆志强", "enterprise", "cx-power", "enterprise_signatory"),
    ("cement.admin", "姚海东", "enterprise", "wx-cement", "enterprise_admin"),
    ("cement.filer", "吴丽萍", "enterprise", "wx-cement", "enterprise_filer"),
    ("cement.signatory", "邵明华", "enterprise", "wx-cement", "enterprise_signatory"),
    ("dyeing.admin", "费文斌", "enterprise", "nx-dyeing", "enterprise_admin"),
    ("fibre.filer", "闵佳", "enterprise", "dq-fibre", "enterprise_filer"),
    ("wood.admin", "潘竹青", "enterprise", "aj-wood", "enterprise_admin"),
    ("paper.filer", "施远航", "enterprise", "nth-paper", "enterprise_filer"),
    ("greencarbon.manager", "周碳安", "firm", "greencarbon", "steward_manager"),
    ("greencarbon.reviewer", "孙绿", "firm", "greencarbon", "steward_reviewer"),
    ("qingyuan.reviewer", "李清源", "firm", "qingyuan", "steward_reviewer"),
    ("city.viewer", "市局 王监管", "bureau", "city", "bureau_viewer"),
    ("city.inspector", "市局 赵检查", "bureau", "city", "bureau_inspector"),
    ("wuxing.viewer", "吴兴分局 陈查看", "bureau", "wuxing", "bureau_viewer"),
    ("changxing.inspector", "长兴分局 郑检查", "bureau", "changxing", "bureau_inspector"),
    ("huzhou.bank", "湖州银行 林授信", "bank", "huzhou", "bank_officer"),
]


def _engagements(
    today: datetime.date,
) -> list[tuple[str, str, bool, bool, datetime.date, datetime.date, str]]:
    year_start = datetime.date(last_month(today)[0], 1, 1)  # the demo year: in January, the year just ended
    return [
        (
            "greencarbon",
            "cx-power",
            True,
            True,
            year_start,
            year_start.replace(year=today.year + 1),
            "active",
        ),
        (  # since the year before: the steward reviewed the months of the demo's annual report
            "greencarbon",
            "wx-cement",
            True,
            False,
            year_start.replace(year=year_start.year - 1),
            year_start.replace(year=today.year + 2),
            "active",
        ),
        # Ended last month: the steward no longer sees the dyeing mill.
        (
            "greencarbon",
            "nx-dyeing",
            False,
            True,
            year_start.replace(year=today.year - 1),
            today - datetime.timedelta(days=30),
            "ended",
        ),
        ("qingyuan", "dq-fibre", False, True, year_start, year_start.replace(year=today.year + 1), "active"),
        ("qingyuan", "nth-paper", True, False, year_start, year_start.replace(year=today.year + 1), "active"),
        ("qingyuan", "aj-wood", False, True, year_start, year_start.replace(year=today.year + 1), "revoked"),
    ]


def _bank_consents(today: datetime.date):
    """(bank, enterprise, granting admin, items, starts, ends, revocation reason): the cement plant shows
    everything, the power plant its grade and seal status, the dyeing mill revoked its consent."""
    year_start = datetime.date(last_month(today)[0], 1, 1)
    ends = year_start.replace(year=today.year + 1)
    return [
        ("huzhou", "wx-cement", "cement.admin", BankConsent.ITEMS, year_start, ends, ""),
        ("huzhou", "cx-power", "power.admin", ("grade", "seal_status"), year_start, ends, ""),
        ("huzhou", "nx-dyeing", "dyeing.admin", ("grade", "emissions"), year_start, ends, "贷款已结清"),
    ]


def _load_bank_consents(today: datetime.date, banks: dict, enterprises: dict) -> None:
    for bank, slug, admin, items, starts, ends, revoked in _bank_consents(today):
        if BankConsent.objects.filter(bank=banks[bank], enterprise=enterprises[slug]).exists():
            continue
        by = User.objects.get(username=admin)
        consent = BankConsent.objects.create(
            bank=banks[bank],
            enterprise=enterprises[slug],
            starts_on=starts,
            ends_on=ends,
            purpose="碳效贷授信评估（演示）",
            granted_by=by,
            **{item: item in items for item in BankConsent.ITEMS},
        )
        if revoked:
            BankConsentRevocation.objects.create(consent=consent, reason=revoked, revoked_by=by)


@transaction.atomic
def load_demo_world() -> dict[str, int]:
    """Create (or leave as they are) the demo enterprises, firms, bureaus, people and engagements."""
    today = timezone.localdate()
    enterprises = {}
    for spec in ENTERPRISES:
        existing = Enterprise.objects.filter(slug=spec.slug).first()
        enterprises[spec.slug] = existing or onboard_enterprise(
            slug=spec.slug,
            name_zh=spec.name_zh,
            name_en=spec.name_en,
            credit_code=credit_code(spec.division, spec.organisation),
            jurisdiction=Jurisdiction.objects.get(code=ENTERPRISE_JURISDICTION.get(spec.slug, spec.division)),
            industry=Industry.objects.get(code=spec.industry),
            in_national_carbon_market=spec.carbon_market,
            pollutant_permit_key_unit=spec.permit_key_unit,
            carbon_efficiency_evaluated=spec.efficiency,
        )
    firms = {
        key: StewardFirm.objects.get_or_create(
            credit_code=credit_code(division, organisation), defaults={"name_zh": name}
        )[0]
        for key, name, division, organisation in FIRMS
    }
    bureaus = {
        key: Bureau.objects.get_or_create(name_zh=name, defaults={"jurisdiction_id": code})[0]
        for key, name, code in BUREAUS
    }
    banks = {
        key: Bank.objects.get_or_create(
            credit_code=credit_code(division, organisation), defaults={"name_zh": name}
        )[0]
        for key, name, division, organisation in BANKS
    }
    for username, display_name, kind, target, role in PEOPLE:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_platform_admin = kind == "platform"
            user.save()
        if kind == "enterprise":
            # held since the demo world's first year: the demo acts on backdated days (steward/demo/clock.py), and
            # a role dated today would not be live then (the annual report compiled in February named no signatory)
            EnterpriseMembership.objects.get_or_create(
                user=user, enterprise=enterprises[target], role=role, defaults={"starts_on": ROLES_HELD_SINCE}
            )
        elif kind == "firm":
            StewardMembership.objects.get_or_create(user=user, firm=firms[target], role=role)
        elif kind == "bureau":
            BureauMembership.objects.get_or_create(user=user, bureau=bureaus[target], role=role)
        elif kind == "bank":
            BankMembership.objects.get_or_create(user=user, bank=banks[target], role=role)
    for firm, slug, carbon, environmental, starts, ends, status in _engagements(today):
        Engagement.objects.get_or_create(
            firm=firms[firm],
            enterprise=enterprises[slug],
            defaults={
                "covers_carbon": carbon,
                "covers_environmental": environmental,
                "starts_on": starts,
                "ends_on": ends,
                "status": status,
                "revocation_reason": "合同提前终止" if status == "revoked" else "",
                "revoked_at": timezone.now() if status == "revoked" else None,
            },
        )
    _load_bank_consents(today, banks, enterprises)
    return {"enterprises": len(enterprises), "people": len(PEOPLE), "engagements": Engagement.objects.count()}


def login_table() -> str:
    lines = [f"{'username':<24} {'role':<22} where", "-" * 72]
    for username, _display, _kind, target, role in PEOPLE:
        lines.append(f"{username:<24} {role or 'platform_admin':<22} {target or '(all, no enterprise data)'}")
    lines.append(f"password for every demo user: {DEMO_PASSWORD}")
    return "\n".join(lines)
