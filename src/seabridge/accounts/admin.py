"""admin of the accounts app."""
