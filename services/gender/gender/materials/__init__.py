"""Communication materials, each in up to three languages."""
