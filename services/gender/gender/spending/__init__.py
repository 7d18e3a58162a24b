"""Money spent on Project 8: entries never edited, corrected by reversals."""
