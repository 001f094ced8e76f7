"""The register from the statistics bureau's list: checked row by row, upserted by credit code, linked."""

import pytest

from steward.register import demo
from steward.register.models import RegisteredEnterprise
from steward.register.roster import import_roster
from tenants.models import Enterprise

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "所属区域", "行业代码", "规上"]


def test_a_list_with_bad_rows_changes_nothing_and_names_each_row():
    good = demo.numbered_credit_code(7, "330502")
    rows = [
        [good, "湖州甲建材有限公司", "吴兴区", "3011", "是"],
        [good[:17] + ("1" if good[17] != "1" else "2"), "乙", "330502", "3011", ""],
        [demo.numbered_credit_code(8, "330502"), "丙", "杭州市", "3011", ""],
        [demo.numbered_credit_code(9, "330502"), "丁", "330503", "9999", ""],
        [good, "重复", "330502", "3011", ""],
    ]
    report = import_roster("名录.csv", demo.feed_bytes(HEADER, rows))
    assert [(e.line, e.message.split("：")[0]) for e in report.errors] == [
        (3, f"“{rows[1][0]}”"),
        (4, "未知的区域“杭州市”"),
        (5, "未知的行业代码“9999”"),
        (6, "与第 2 行重复"),
    ]
    assert "校验位错误" in report.errors[0].message
    assert not RegisteredEnterprise.objects.exists()


def test_a_clean_list_upserts_by_credit_code_and_links_enterprises_that_file_here():
    power = Enterprise.objects.get(slug="cx-power")
    code = demo.numbered_credit_code(11, "330522")
    first = [
        [code, "湖州旧名有限公司", "长兴县", "3011", "是"],
        [power.credit_code, "长兴电厂", "330522", "4411", ""],
    ]
    report = import_roster("名录.csv", demo.feed_bytes(HEADER, first))
    assert (report.created, report.updated, report.linked) == (2, 0, 1)
    assert RegisteredEnterprise.objects.get(credit_code=power.credit_code).enterprise == power
    again = import_roster(
        "名录2.csv", demo.feed_bytes(HEADER, [[code, "湖州新名有限公司", "长兴县", "3011", "否"]])
    )
    assert (again.created, again.updated) == (0, 1)
    entry = RegisteredEnterprise.objects.get(credit_code=code)
    assert (entry.name, entry.is_above_scale) == ("湖州新名有限公司", False)


def test_an_enterprise_saved_with_a_registered_credit_code_joins_its_entry():
    cement = Enterprise.objects.get(slug="wx-cement")
    code = demo.numbered_credit_code(21, "330522")
    entry = RegisteredEnterprise.objects.create(
        credit_code=code, name="水泥", jurisdiction_id="330522", industry_id="3011"
    )
    cement.credit_code = code
    cement.save()
    entry.refresh_from_db()
    assert entry.enterprise == cement


def test_a_list_that_moves_an_enterprise_regrades_the_graded_years(django_capture_on_commit_callbacks):
    """The grading runs keep each enterprise's district as they read the register: a list that moves one to
    another district grades the year again after its commit, so the bureau's figures follow the move."""
    from steward.register.grading import regrade
    from steward.register.models import GradingRun, RegisterGrade

    code = demo.numbered_credit_code(21, "330502")
    import_roster("名录.csv", demo.feed_bytes(HEADER, [[code, "湖州迁址有限公司", "吴兴区", "3011", "是"]]))
    entry = RegisteredEnterprise.objects.get(credit_code=code)
    first = regrade(2025)
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(
            "名录.csv", demo.feed_bytes(HEADER, [[code, "湖州迁址有限公司", "长兴县", "3011", "是"]])
        )
    newest = GradingRun.objects.filter(year=2025).latest("pk")
    assert newest.pk != first.pk
    assert RegisterGrade.objects.get(run=newest, registered=entry).jurisdiction_id == "330522"
    assert RegisterGrade.objects.get(run=first, registered=entry).jurisdiction_id == "330502"  # history kept
    with django_capture_on_commit_callbacks(execute=True):  # the same list again moves nothing: no regrade
        import_roster(
            "名录.csv", demo.feed_bytes(HEADER, [[code, "湖州迁址有限公司", "长兴县", "3011", "是"]])
        )
    assert GradingRun.objects.filter(year=2025).latest("pk").pk == newest.pk
