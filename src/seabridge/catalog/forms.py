"""forms of the catalog app."""
