"""Common library of the MTQG services: only what every service uses the same way."""
