"""The carbon-steward product package: settings, URLs, Celery and the emissions domain.

Kept import-free so that `manage.py` can import `steward.bootstrap` before any dependency is installed.
"""
