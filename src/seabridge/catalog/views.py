"""views of the catalog app."""
