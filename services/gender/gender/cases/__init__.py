"""Protection cases: only `protection` holders read and write them, every read is logged."""
