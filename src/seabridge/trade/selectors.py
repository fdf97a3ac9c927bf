"""selectors of the trade app."""
