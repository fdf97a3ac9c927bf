"""services of the accounts app."""
