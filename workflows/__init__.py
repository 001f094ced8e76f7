"""Approval workflows (django-viewflow) that run inside each enterprise schema and call services in steward/."""
