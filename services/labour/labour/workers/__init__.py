"""Workers: the people who go abroad, with their household's poverty status."""
