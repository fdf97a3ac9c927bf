"""selectors of the vehicles app."""
