"""filters of the catalog app."""
