"""Household cases: one household's support to remove a temporary or dilapidated house."""
