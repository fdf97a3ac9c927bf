"""Nothing of the web app is administered."""
