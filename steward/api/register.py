"""The bureau's read-only register API (docs/api.md): the register enterprises of its jurisdiction with their
碳效码 in a year's newest grading run, filtered and paged, and one enterprise's grade history (every run).

Bureau users only (`view_bureau_dashboard` with a jurisdiction), each reading its own districts: the same check
as the /bureau/register/ pages. A list page costs the same queries for 1 row as for 500 (the entries, then the
page's grades in one statement)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from steward.api.strict import int_query
from steward.oversight import scope
from steward.register import selectors
from steward.register.models import RegisteredEnterprise, RegisterGrade
from tenants import access

GRADE_DIGITS = {"max_digits": 30, "decimal_places": 12}


class BureauRegister(BasePermission):
    """A bureau user with a jurisdiction; the codes it oversees are kept on the request for the view."""

    message = "仅生态环境主管部门用户可查看企业名录。"

    def has_permission(self, request, view) -> bool:
        if not access.can(request.user, "view_bureau_dashboard"):
            return False
        request.bureau_codes = scope.bureau_codes(request.user)
        return bool(request.bureau_codes)


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="中文名称")


class RegisterGradeSerializer(serializers.Serializer):
    """One enterprise's 碳效码 for one year as one grading run computed it."""

    year = serializers.IntegerField()
    run = serializers.IntegerField(source="run_id", help_text="评价批次（GradingRun）编号")
    computed_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=RegisterGrade.Status.choices)
    status_label = serializers.CharField(help_text="评价状态（中文）")
    months = serializers.IntegerField(help_text="能源与增加值数据均有的月份数")
    emissions_t = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    value_added_10k = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    l_value = serializers.DecimalField(**GRADE_DIGITS, allow_null=True, help_text="单位增加值碳排放 L")
    industry_average_l = serializers.DecimalField(**GRADE_DIGITS, allow_null=True, help_text="行业平均值")
    k_value = serializers.DecimalField(**GRADE_DIGITS, allow_null=True, help_text="碳效值 K = L ÷ 行业平均值")
    grade = serializers.IntegerField(allow_null=True, help_text="碳效等级 1–5；未评价时为 null")
    grade_name = serializers.CharField(help_text="等级（中文），如“2级”；未评价时为空")
    grade_label = serializers.CharField(help_text="分级表中的等级名称")
    level_label = serializers.CharField(help_text="分级表中的碳效水平")
    colour = serializers.CharField(help_text="分级表中的颜色名称")
    colour_hex = serializers.CharField()
    energy_batch_ids = serializers.ListField(child=serializers.IntegerField())
    output_batch_ids = serializers.ListField(child=serializers.IntegerField())


class RegisterEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    credit_code = serializers.CharField()
    name = serializers.CharField()
    district = AreaSerializer()
    industry = AreaSerializer()
    has_workspace = serializers.BooleanField(help_text="是否已在本平台开通工作区")
    grade = RegisterGradeSerializer(allow_null=True, help_text="该年度最新评价批次的碳效码；未评价时为 null")


class RegisterHistorySerializer(serializers.Serializer):
    enterprise = RegisterEntrySerializer()
    history = RegisterGradeSerializer(many=True, help_text="每年、每个评价批次的碳效码，新年份、新批次在前")


def _grade(row: selectors.GradeRow | None) -> dict | None:
    if row is None:
        return None
    copied = (
        "year",
        "run_id",
        "computed_at",
        "status",
        "months",
        "emissions_t",
        "value_added_10k",
        "l_value",
    )
    copied += ("industry_average_l", "k_value", "grade", "grade_label", "level_label", "colour")
    return {
        **{name: getattr(row, name) for name in copied},
        "status_label": str(RegisterGrade.Status(row.status).label),
        "grade_name": _("%(grade)s级") % {"grade": row.grade} if row.grade is not None else "",
        "colour_hex": row.colour_hex,
        "energy_batch_ids": list(row.energy_batch_ids),
        "output_batch_ids": list(row.output_batch_ids),
    }


def _entry(entry: RegisteredEnterprise, grade: dict | None) -> dict:
    return {
        "id": entry.pk,
        "credit_code": entry.credit_code,
        "name": entry.name,
        "district": {"code": entry.jurisdiction_id, "name": entry.jurisdiction.name_zh},
        "industry": {"code": entry.industry_id, "name": entry.industry.name_zh},
        "has_workspace": entry.enterprise_id is not None,
        "grade": grade,
    }


def _refused(field: str, message: str) -> ValidationError:
    return ValidationError({field: [ErrorDetail(message, code="invalid")]})


class RegisterListView(generics.ListAPIView):
    """The register enterprises of the bureau's jurisdiction with their 碳效码 in the year's newest run."""

    permission_classes = [IsAuthenticated, BureauRegister]
    serializer_class = RegisterEntrySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="评价年份（默认：最近一个已评价的年份）"),
            OpenApiParameter("district", str, description="区域代码（须在本部门辖区内）"),
            OpenApiParameter("industry", str, description="行业代码（GB/T 4754）"),
            OpenApiParameter(
                "grade", str, enum=list(selectors.GRADE_FILTERS), description="碳效等级 1–5，none：未评价"
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _filters(self) -> dict:
        params = self.request.query_params
        codes = self.request.bureau_codes
        year = int_query(params, "year")
        if year is None:
            year = next(iter(selectors.graded_years()), None)
        elif not 2000 <= year <= 2100:
            raise _refused("year", "年份应在 2000–2100 之间。")
        district = params.get("district") or None
        if district is not None and district not in codes:
            raise _refused("district", "该区域不在本部门辖区内。")
        grade = params.get("grade") or None
        if grade is not None and grade not in selectors.GRADE_FILTERS:
            raise _refused("grade", "碳效等级应为 1–5 或 none。")
        industry = params.get("industry") or None
        if industry is not None and len(industry) > 5:
            raise _refused("industry", "行业代码至多 5 位。")
        run_id = selectors.latest_run_id(year) if year is not None else None
        return {"year": year, "run_id": run_id, "district": district, "industry": industry, "grade": grade}

    def get_queryset(self):
        self.filters = filters = self._filters()
        return selectors.register_entries(
            self.request.bureau_codes,
            run_id=filters["run_id"],
            district=filters["district"],
            industry=filters["industry"],
            grade=filters["grade"],
        ).select_related("jurisdiction", "industry")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        run_id = self.filters["run_id"]
        grades = (
            selectors.latest_grades(
                [entry.pk for entry in page], year=self.filters["year"], graded_only=False
            )
            if run_id
            else {}
        )
        rows = [_entry(entry, _grade(grades.get(entry.pk))) for entry in page]
        return self.get_paginated_response(RegisterEntrySerializer(rows, many=True).data)


class RegisterHistoryView(generics.GenericAPIView):
    """One register enterprise of the bureau's jurisdiction: its 碳效码 of every year and every grading run."""

    permission_classes = [IsAuthenticated, BureauRegister]
    serializer_class = RegisterHistorySerializer

    def get(self, request, registered_id: int):
        entry = (
            RegisteredEnterprise.objects.filter(pk=registered_id, jurisdiction_id__in=request.bureau_codes)
            .select_related("jurisdiction", "industry")
            .first()
        )
        if entry is None:
            raise NotFound("outside the bureau's jurisdiction or not in the register")
        history = [_grade(row) for row in selectors.grade_history(entry)]
        current = _entry(entry, history[0] if history else None)  # the newest year's newest run
        return Response(RegisterHistorySerializer({"enterprise": current, "history": history}).data)
