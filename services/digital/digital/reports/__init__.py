"""The overview report, aggregated in SQL."""
