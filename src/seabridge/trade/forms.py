"""forms of the trade app."""
