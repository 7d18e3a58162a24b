"""Communication activities: sessions, trainings, dialogues, contests, social media."""
