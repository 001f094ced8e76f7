"""Server-rendered pages for enterprises, stewards, the bureau and platform operators (Chinese first)."""
