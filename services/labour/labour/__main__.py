"""`python -m labour`: serve the labour service."""

from mtqg_shared.serve import serve

if __name__ == "__main__":
    serve("labour")
