"""services of the catalog app."""
