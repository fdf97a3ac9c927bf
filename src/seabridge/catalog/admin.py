"""admin of the catalog app."""
