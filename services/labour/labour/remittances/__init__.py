"""Remittances: money sent home, month by month, per placement."""
