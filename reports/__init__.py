"""Documents of record: PDF and XLSX builders, one module per document."""
