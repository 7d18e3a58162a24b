"""Reports: the labour overview and remittance totals, aggregated in SQL."""
