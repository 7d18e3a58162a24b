"""`python -m gender`: serve the gender service."""

from mtqg_shared.serve import serve

if __name__ == "__main__":
    serve("gender")
