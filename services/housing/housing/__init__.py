"""Housing service: removing temporary and dilapidated houses."""
