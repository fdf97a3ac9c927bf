"""filters of the markets app."""
