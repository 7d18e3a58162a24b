"""Money spent on workers under Project 4: entries never edited, corrected by reversals."""
