"""Evidence files (lab reports, invoices, meter certificates): stored per tenant, immutable, hash-addressed."""
