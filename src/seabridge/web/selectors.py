"""The web app has no selectors of its own: it renders what the domain apps provide."""
