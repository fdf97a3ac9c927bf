"""The web app has no services of its own: it renders what the domain apps provide."""
