"""admin of the markets app."""
