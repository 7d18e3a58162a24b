"""Obstacles reported for an area or a case, and their resolution."""
