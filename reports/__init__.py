"""Rendering only: PDF (reports/pdf.py) and XLSX (reports/xlsx.py) builders, one module per document. Issuing and
keeping documents of record is steward/documents/ (the copy-of-record store), below the domains that issue."""
