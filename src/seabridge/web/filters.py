"""The web app has no list pages of its own."""
