"""views of the trade app."""
