"""`python -m digital`: serve the digital service."""

from mtqg_shared.serve import serve

if __name__ == "__main__":
    serve("digital")
