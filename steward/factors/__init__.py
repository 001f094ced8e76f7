"""The emission-factor library: versioned factor sets with their sources and verification status."""
