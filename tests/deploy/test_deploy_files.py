"""The deployment files are valid: compose against the Compose specification, the image's build file linted
by hadolint, the Kubernetes manifests against the Kubernetes schemas."""

import subprocess
import sys
from pathlib import Path

import compose_spec
import pytest
import yaml
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
BIN = Path(sys.executable).parent


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_file_follows_the_compose_specification():
    spec = compose_spec.ComposeSpecification.model_validate(compose())
    assert {"db", "redis", "migrate", "web", "worker", "beat", "proxy"} <= set(spec.services)


def test_compose_wires_the_services_as_production_needs():
    services = compose()["services"]
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "steward", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "steward", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "setup_platform"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "healthcheck" in services["web"] and "healthcheck" in services["db"]
    # Evidence is read-only for the proxy, which serves it only through X-Accel-Redirect.
    assert "evidence:/var/lib/steward/evidence:ro" in services["proxy"]["volumes"]
    nginx = (DEPLOY / "proxy" / "nginx.conf").read_text()
    assert "internal;" in nginx and "/_protected_evidence/" in nginx


def test_a_broken_compose_file_is_caught():
    data = compose()
    data["services"]["web"]["depends_on"]["migrate"]["condition"] = "whenever"
    with pytest.raises(ValueError):
        compose_spec.ComposeSpecification.model_validate(data)


def test_dockerfile_passes_hadolint():
    result = subprocess.run([BIN / "hadolint", DEPLOY / "Dockerfile"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "AS build" in dockerfile and "AS runtime" in dockerfile  # multi-stage
    assert "USER 10001" in dockerfile and "collectstatic" in dockerfile  # non-root, static files collected


def test_kubernetes_manifests_validate_against_their_schemas():
    manifests = sorted((DEPLOY / "k8s").glob("*.yaml"))
    result = subprocess.run(
        [BIN / "kubernetes-validate", "--strict", *manifests], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    kinds = {doc["kind"] for path in manifests for doc in yaml.safe_load_all(path.read_text()) if doc}
    assert {
        "Deployment",
        "Job",
        "HorizontalPodAutoscaler",
        "Ingress",
        "Service",
        "PersistentVolumeClaim",
    } <= kinds
    web = next(
        doc
        for doc in yaml.safe_load_all((DEPLOY / "k8s" / "web.yaml").read_text())
        if doc["kind"] == "Deployment"
    )
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"


@pytest.mark.django_db
def test_evidence_download_hands_over_to_the_proxy_when_configured(user_client, settings):
    settings.EVIDENCE_X_ACCEL_PREFIX = "/_protected_evidence/"
    from django_tenants.utils import schema_context

    from steward.evidence.models import EvidenceFile

    with schema_context("ent_cx_power"):
        evidence = EvidenceFile.objects.exclude(kind="invoice").get()
    response = user_client("power.filer").get(f"/e/cx-power/evidence/{evidence.pk}/download/")
    assert response.status_code == 200 and response.content == b""
    assert (
        response["X-Accel-Redirect"]
        == f"/_protected_evidence/ent_cx_power/evidence/{evidence.sha256[:2]}/{evidence.sha256}"
    )
    assert user_client("cement.filer").get(f"/e/cx-power/evidence/{evidence.pk}/download/").status_code == 403


def test_metrics_endpoint_exports_prometheus_text(client, db):
    response = client.get("/metrics")  # the test client calls from 127.0.0.1, the default allow-list
    assert response.status_code == 200 and b"django_http_requests_total" in response.content


def test_metrics_refuse_anyone_outside_the_monitoring_network(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", **outside).status_code == 403
    # A forwarded-for header is anyone's to write: it does not make a caller local.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1", **outside).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="s3cret-scrape-token", **outside).status_code == 403
    scraped = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", **outside)
    assert scraped.status_code == 200 and b"django_http_requests_total" in scraped.content
    settings.METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403  # loopback no longer listed
    settings.METRICS_TOKEN = ""  # no token configured: "Bearer " with nothing after it is no key
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", **outside).status_code == 403


def test_metrics_are_not_routed_by_the_proxy_or_the_ingress():
    nginx = (DEPLOY / "proxy" / "nginx.conf").read_text()
    assert "location ^~ /metrics { return 404; }" in nginx
    assert nginx.index("location ^~ /metrics") < nginx.index("location / {\n            proxy_pass")
    ingresses = [
        doc
        for doc in yaml.safe_load_all((DEPLOY / "k8s" / "web.yaml").read_text())
        if doc["kind"] == "Ingress"
    ]
    refusing = [
        ingress
        for ingress in ingresses
        if any(
            path["path"] == "/metrics" for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]
        )
    ]
    assert len(refusing) == 1
    annotations = refusing[0]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/whitelist-source-range"] == "127.0.0.1/32"


def test_sentry_events_are_scrubbed():
    from steward.logging import scrub_sentry_event

    event = {
        "request": {"data": {"quantity": "85000"}, "cookies": {"sessionid": "x"}, "headers": {"Cookie": "x"}},
        "user": {"id": 7, "email": "filer@example.cn", "ip_address": "10.0.0.1"},
    }
    scrubbed = scrub_sentry_event(event, {})
    assert scrubbed["request"]["data"] == "[scrubbed]" and scrubbed["request"]["cookies"] == "[scrubbed]"
    assert scrubbed["user"] == {"id": 7}
