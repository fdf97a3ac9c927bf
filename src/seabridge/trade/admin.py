"""admin of the trade app."""
