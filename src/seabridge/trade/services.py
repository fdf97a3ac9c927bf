"""services of the trade app."""
