"""The annual GHG emission report: compiled from locked monthly filings, reviewed, signed, sent to the bureau."""
