"""Community models: communication teams, trusted addresses, clubs, livelihood groups."""
