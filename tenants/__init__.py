"""Tenancy: enterprises (one schema each), jurisdictions, steward firms, bureaus, people and access."""
