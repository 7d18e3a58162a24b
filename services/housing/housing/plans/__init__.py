"""Plans: targets for an area with dated milestones, and their progress."""
