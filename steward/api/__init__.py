"""REST API v1: thin DRF views over the services and selectors; permissions come from tenants.access."""
