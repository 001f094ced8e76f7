"""Monthly filing (月度存证): filings, findings, review, sealing and reopening."""
