"""Money spent on digital transformation (263.CDS): entries never edited, corrected by
reversals."""
