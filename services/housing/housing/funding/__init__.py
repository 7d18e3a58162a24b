"""Funding entries of a case: money by source, immutable, corrected by reversing entries."""
