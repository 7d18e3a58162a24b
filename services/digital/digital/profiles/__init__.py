"""Commune digital profiles by year: officials and their IT certificates, connections."""
