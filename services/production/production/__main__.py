"""`python -m production`: serve the production service."""

from mtqg_shared.serve import serve

if __name__ == "__main__":
    serve("production")
