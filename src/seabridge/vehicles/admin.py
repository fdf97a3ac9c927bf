"""admin of the vehicles app."""
