"""Machine access (public schema): API tokens scoped to one enterprise, outbound webhooks, the e企管 bridge."""
