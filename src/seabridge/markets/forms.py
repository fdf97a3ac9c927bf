"""forms of the markets app."""
