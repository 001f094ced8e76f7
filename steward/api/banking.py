"""The bank's API (session login, like the portal): consenting enterprises and their consented figures, each
with its hash (docs/banking.md). The same live-consent check and access-log entry as the pages."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from decimal import Decimal

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.banking import selectors, services
from steward.formatting import plain
from tenants import access
from tenants.models import BankConsent, Enterprise


def _json(value):
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items() if key != "enterprise"}
    if isinstance(value, list | tuple | frozenset | set):
        return [_json(item) for item in value]
    if isinstance(value, Decimal):
        return plain(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _enterprise(grant: access.BankGrant) -> dict:
    enterprise = grant.enterprise
    return {
        "id": enterprise.pk,
        "name": enterprise.name_zh,
        "credit_code": enterprise.credit_code,
        "jurisdiction": enterprise.jurisdiction.name_zh,
        "industry": enterprise.industry_id,
        "consent": {
            "bank": grant.bank.name_zh,
            "items": [item for item in BankConsent.ITEMS if item in grant.items],
            "starts_on": grant.consent.starts_on.isoformat(),
            "ends_on": grant.consent.ends_on.isoformat(),
        },
    }


def _bank_only(request) -> None:
    if not access.can(request.user, "view_bank_portal"):
        raise PermissionDenied("view_bank_portal")


class BankEnterpriseListView(APIView):
    """The enterprises that consent today to the user's bank."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        _bank_only(request)
        return Response({"results": [_enterprise(grant) for grant in access.bank_grants(request.user)]})


class BankEnterpriseView(APIView):
    """One consenting enterprise: exactly the consented items, each figure with its seal or content hash."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, enterprise_id: int):
        _bank_only(request)
        enterprise = (
            Enterprise.objects.filter(pk=enterprise_id).select_related("jurisdiction", "workspace").first()
        )
        grant = access.bank_grant(request.user, enterprise) if enterprise else None
        if not grant:
            raise NotFound("no live consent")
        view = selectors.bank_view(grant)
        body = _enterprise(grant) | {"years": view.years}
        for item in ("grades", "emissions", "intensity", "seal_status"):
            value = getattr(view, item)
            if value is not None:
                body[item] = _json(value)
        services.record_read(
            grant=grant,
            user=request.user,
            items=[item for item in BankConsent.ITEMS if item in grant.items],
            method=request.method,
            path=request.get_full_path(),
        )
        return Response(body)
