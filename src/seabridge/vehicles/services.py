"""services of the vehicles app."""
