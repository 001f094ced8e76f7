"""Data intake: monthly Excel templates per enterprise, dry-run validation and recorded import batches."""
