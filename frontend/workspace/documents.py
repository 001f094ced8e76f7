"""Downloading an issued document: exactly the stored bytes, after the kind's own visibility rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from steward.documents import copy_of_record
from steward.documents.models import IssuedDocument
from steward.documents.responses import attachment
from tenants.access import require_workspace_action


@require_workspace_action("view_workspace")
def document_download(request, document_id: int):
    document = get_object_or_404(IssuedDocument, pk=document_id)
    if not copy_of_record.may_view(request.workspace_access, document):
        raise PermissionDenied("view_document")
    return attachment(
        copy_of_record.read_document(document),
        filename=document.filename,
        content_type=document.content_type,
        # ?inline=1 lets a signatory read the PDF in the browser before signing; the bytes are the same.
        inline=request.GET.get("inline") == "1",
        headers={"X-Content-SHA256": document.sha256},
    )
