"""forms of the vehicles app."""
