"""The web app has no api of its own: it renders what the domain apps provide."""
