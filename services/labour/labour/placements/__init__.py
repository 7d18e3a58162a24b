"""Placements: one worker's contract abroad and its steps."""
