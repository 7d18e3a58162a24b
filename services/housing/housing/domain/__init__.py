"""The housing rules in plain Python: no web framework, no database, tested on their own."""
