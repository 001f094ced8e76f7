"""Where a month stands for the person filing it: 录入 → 核算 → 检查 → 提交, each step with its state.

Plain functions over what the month page already holds (records, the current run, the live findings, the
filing), so the page shows the same answer the services would give: the submit step is "ready" exactly when
no blocking finding is left open (a reviewer's waiver counts) and the filing may still be submitted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.filing.models import FilingFinding, FilingStatus, MonthlyFiling

DONE, CURRENT, BLOCKED, TODO = "done", "current", "blocked", "todo"
STATE_LABELS = {
    DONE: gettext_lazy("已完成"),
    CURRENT: gettext_lazy("进行中"),
    BLOCKED: gettext_lazy("待处理"),
    TODO: gettext_lazy("未开始"),
}
SUBMITTABLE = (None, FilingStatus.DRAFT, FilingStatus.RETURNED)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str
    detail: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def finding_key(rule_id: str, item: str, message: str) -> tuple[str, str, str]:
    return (rule_id, item, message)


def finding_token(finding) -> str:
    """A short stable name for one finding (a rule can find several things about the same item), used by
    the page's forms and matched again after a re-check."""
    text = "|".join(finding_key(finding.rule_id, finding.item, finding.message))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def settled_findings(filing: MonthlyFiling | None) -> dict[tuple[str, str, str], FilingFinding]:
    """The stored findings of the current filing (with their acknowledgement, waiver or waiver request), by
    the key the rule pack would give them again (acknowledgements and waivers survive a re-check)."""
    if filing is None or filing.pk is None:
        return {}
    return {finding_key(f.rule_id, f.item, f.message): f for f in filing.findings.all()}


def settled_for(settled: dict, finding) -> object | None:
    """The stored finding that settles a live one: the same wording, or the only one its rule stored for the
    item (a message that names the days overdue changes every day; services.record_findings matches alike)."""
    exact = settled.get(finding_key(finding.rule_id, finding.item, finding.message))
    if exact is not None:
        return exact
    same_item = [f for key, f in settled.items() if key[:2] == (finding.rule_id, finding.item)]
    return same_item[0] if len(same_item) == 1 else None


def open_blocking(findings, settled) -> list:
    """Live blocking findings that no waiver covers."""
    return [
        f
        for f in findings
        if f.severity == "blocking" and not getattr(settled_for(settled, f), "waiver_reason", "")
    ]


def month_steps(
    *, sources: int, entered: int, run_exists: bool, run_stale: bool, findings, filing: MonthlyFiling | None
) -> list[Step]:
    """The four steps of a month for its filer."""
    status = filing.status if filing else None
    settled = settled_findings(filing)
    blocking = open_blocking(findings, settled)
    warnings = [f for f in findings if f.severity == "warning"]
    submitted = status in (FilingStatus.IN_REVIEW, FilingStatus.LOCKED)

    if sources and entered >= sources:
        entry = Step("entry", _("录入"), DONE, _("%(n)s 个排放源均已录入") % {"n": sources})
    elif entered:
        entry = Step(
            "entry",
            _("录入"),
            CURRENT,
            _("已录入 %(done)s / %(all)s 个排放源") % {"done": entered, "all": sources},
        )
    else:
        entry = Step(
            "entry",
            _("录入"),
            TODO if sources else BLOCKED,
            _("尚未录入") if sources else _("请先登记排放源"),
        )

    if run_exists and not run_stale:
        compute = Step("compute", _("核算"), DONE, _("核算结果为最新"))
    elif run_exists:
        compute = Step("compute", _("核算"), CURRENT, _("数据已更正，需重新计算"))
    else:
        compute = Step("compute", _("核算"), TODO, _("提交时按当前数据校验；锁定时保存核算结果"))

    if blocking:
        check = Step("check", _("检查"), BLOCKED, _("%(n)s 项阻断问题待修正或豁免") % {"n": len(blocking)})
    elif warnings and not submitted:
        check = Step("check", _("检查"), CURRENT, _("%(n)s 项警告需填写说明") % {"n": len(warnings)})
    else:
        check = Step("check", _("检查"), DONE if entered else TODO, _("无阻断问题"))

    if status == FilingStatus.LOCKED:
        submit = Step("submit", _("提交"), DONE, _("已审核通过并锁定存证"))
    elif status == FilingStatus.IN_REVIEW:
        submit = Step("submit", _("提交"), DONE, _("已提交，审核中"))
    elif blocking or not entered:
        submit = Step("submit", _("提交"), TODO, _("检查通过后可提交"))
    elif status == FilingStatus.RETURNED:
        submit = Step("submit", _("提交"), CURRENT, _("已退回，修改后可重新提交"))
    else:
        submit = Step("submit", _("提交"), CURRENT, _("可以提交审核"))
    return [entry, compute, check, submit]


def may_submit(*, entered: int, findings, filing: MonthlyFiling | None) -> bool:
    """What the submit service would accept, as far as the month's state goes (warnings still need their
    notes, which the submit form asks for)."""
    status = filing.status if filing else None
    return status in SUBMITTABLE and entered > 0 and not open_blocking(findings, settled_findings(filing))
