"""Source text → seed rows. Each module extracts one kind of entity; ``pipeline`` runs them all."""
