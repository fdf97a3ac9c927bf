"""views of the vehicles app."""
