"""The web app has no choices of its own."""
