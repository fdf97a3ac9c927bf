"""Core has no list pages of its own."""
