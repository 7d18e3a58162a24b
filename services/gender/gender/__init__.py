"""Gender service (Project 8): community models, activities, materials in several languages,
spending, and the overview."""
