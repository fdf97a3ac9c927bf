"""The web app has no models of its own: it renders what the domain apps provide."""
