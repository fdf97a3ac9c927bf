"""services of the markets app."""
