"""Programme money across the services (API.md section 11)."""
