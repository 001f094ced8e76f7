"""WSGI entry point (gunicorn steward.wsgi). WSGI, not ASGI: django-tenants #820 (RELIABILITY.md §2.2)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
application = get_wsgi_application()
