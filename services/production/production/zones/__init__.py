"""Production zones: land by crop, area and year."""
