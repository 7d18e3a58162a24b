"""Commune labour profiles by year."""
