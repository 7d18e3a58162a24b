"""Partners: the employment service centre and licensed companies."""
