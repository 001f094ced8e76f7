"""Downloading an issued document: exactly the stored bytes, after the kind's own visibility rule."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from reports import copy_of_record
from reports.models import IssuedDocument
from tenants.access import require_workspace_action


@require_workspace_action("view_workspace")
def document_download(request, document_id: int):
    document = get_object_or_404(IssuedDocument, pk=document_id)
    if not copy_of_record.may_view(request.workspace_access, document):
        raise PermissionDenied("view_document")
    response = HttpResponse(copy_of_record.read_document(document), content_type=document.content_type)
    # ?inline=1 lets a signatory read the PDF in the browser before signing; the bytes are the same.
    disposition = "inline" if request.GET.get("inline") == "1" else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(document.filename)}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = document.sha256
    return response
