"""The production rules as plain code: no web framework, no database, unit-tested alone."""
