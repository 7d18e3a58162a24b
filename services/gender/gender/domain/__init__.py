"""Rules of Project 8 without FastAPI or SQLAlchemy."""
