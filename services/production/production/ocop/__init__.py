"""OCOP products: stars, scores, certificates."""
