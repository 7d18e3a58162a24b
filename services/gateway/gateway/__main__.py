"""`python -m gateway`: serve the gateway."""

from mtqg_shared.serve import serve

if __name__ == "__main__":
    serve("gateway")
