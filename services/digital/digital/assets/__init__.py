"""Digital infrastructure: computers, cameras, speaker clusters, wifi points, and their status
over time."""
