"""`python -m housing`: serve the housing service."""

from mtqg_shared.serve import serve

if __name__ == "__main__":
    serve("housing")
