"""Producers selling online: cooperatives, enterprises, households."""
