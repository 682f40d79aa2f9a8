"""The deploy kit in deploy/ stays in step with the settings and with what `make prod-smoke`
runs: every variable the settings read is in .env.example, and the Procfile has the four
processes with gunicorn on $PORT."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def variables_read_by_settings() -> set[str]:
    found: set[str] = set()
    for module in (ROOT / "policyhub" / "settings").glob("*.py"):
        if module.name == "test.py":
            continue
        found |= set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', module.read_text()))
    return found


def variables_in_env_example() -> set[str]:
    text = (DEPLOY / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_env_example_lists_every_variable_the_settings_read():
    assert variables_read_by_settings() - variables_in_env_example() == set()


def test_env_example_sets_what_production_requires_and_the_proxy_needs():
    text = (DEPLOY / ".env.example").read_text()
    for line in (
        "DJANGO_SETTINGS_MODULE=policyhub.settings.production",
        "TRUSTED_PROXY_COUNT=1",
        "DOCUMENTS_FILE_SERVING=x-accel-redirect",
    ):
        assert f"\n{line}\n" in text
    for required in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "REDIS_URL", "DATABASE_URL"):
        assert re.search(rf"^{required}=", text, flags=re.MULTILINE), required


def test_procfile_has_release_web_worker_and_beat_with_gunicorn_on_port():
    lines = dict(
        line.split(":", 1)
        for line in (DEPLOY / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert set(lines) == {"release", "web", "worker", "beat"}
    assert "manage.py migrate" in lines["release"]
    assert "gunicorn policyhub.wsgi" in lines["web"] and "$PORT" in lines["web"]
    assert "celery -A policyhub worker" in lines["worker"]
    assert "celery -A policyhub beat" in lines["beat"]


def test_nginx_serves_uploads_only_from_the_internal_location_the_settings_name():
    from django.conf import settings

    site = (DEPLOY / "nginx" / "policyhub.conf").read_text()
    internal = re.search(r"location (\S+) \{\s*internal;\s*alias (\S+);", site)
    assert internal is not None
    assert internal.group(1) == settings.DOCUMENTS_X_ACCEL_PREFIX
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "location /media/ { return 404; }" in site
