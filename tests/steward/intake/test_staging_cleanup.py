"""Uploads that passed the dry run but were never confirmed are deleted after two days, per workspace."""

import hashlib
import os
import time

import pytest
from django_tenants.utils import schema_context

from steward.intake import services
from steward.intake.tasks import discard_stale_uploads_for_enterprise
from tenants.models import Enterprise, User


def _stage(data: bytes, *, age_days: float) -> str:
    sha256 = hashlib.sha256(data).hexdigest()
    path = services._staging_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stamp = time.time() - age_days * 86400
    os.utime(path, (stamp, stamp))
    return sha256


@pytest.mark.django_db
def test_stale_uploads_are_discarded_in_their_own_workspace_only():
    power, cement = Enterprise.objects.get(slug="cx-power"), Enterprise.objects.get(slug="wx-cement")
    with schema_context(power.schema_name):
        stale = _stage(b"power, checked three days ago", age_days=3)
        fresh = _stage(b"power, checked an hour ago", age_days=0.04)
    with schema_context(cement.schema_name):
        cement_stale = _stage(b"cement, checked three days ago", age_days=3)

    # At least this test's stale file: uploads staged by earlier tests of the run may be stale too (their files
    # carry the real clock's time, which is days before the travelled one under STEWARD_TEST_TODAY).
    assert discard_stale_uploads_for_enterprise(tenant_schema=power.schema_name) >= 1

    with schema_context(power.schema_name):
        assert not services._staging_path(stale).exists() and services._staging_path(fresh).exists()
        # Confirming the discarded upload asks for the file again, and writes nothing.
        with pytest.raises(services.ImportRejected, match="待导入文件已失效，请重新上传"):
            services.confirm(
                enterprise=power,
                sha256=stale,
                name="活动数据.xlsx",
                by=User.objects.get(username="power.filer"),
            )
    with schema_context(cement.schema_name):
        assert services._staging_path(cement_stale).exists()  # another enterprise's task, another day
