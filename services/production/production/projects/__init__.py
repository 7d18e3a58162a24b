"""Linkage projects: status path, disbursements, participating households."""
