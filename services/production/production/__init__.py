"""Production service: value-chain projects, production zones, processing and OCOP."""
