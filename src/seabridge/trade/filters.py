"""filters of the trade app."""
