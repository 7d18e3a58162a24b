"""Processing facilities."""
