"""Demo data of the seed figures, loaded through the public API."""
