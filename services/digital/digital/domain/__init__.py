"""Plain rules of the digital service: no FastAPI, no SQLAlchemy."""
