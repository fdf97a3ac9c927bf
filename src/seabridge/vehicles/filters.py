"""filters of the vehicles app."""
