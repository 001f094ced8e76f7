"""Banks (碳效贷, issue 19 item 6): what a consenting enterprise shows a bank, each figure with its seal hash.

Consents and the bank role live in `tenants` (the access rules, like engagements); this package holds the bank's
read side: the consented items read from the enterprise's schema (`selectors`), the bytes a bank hashes to
verify a figure offline (`verification`, docs/banking.md) and the record of every bank read in the enterprise's
access log (`models.BankRead`, `services.record_read`).
"""
