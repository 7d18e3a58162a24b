"""Digital service: digital transformation in new rural development: infrastructure, teams,
commune profiles, smart villages, online sellers, spending, and the overview."""
