"""views of the markets app."""
