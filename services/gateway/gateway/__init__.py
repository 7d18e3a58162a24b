"""Gateway: identity and tokens, forwarding to the programme services, admin-unit reference data."""
