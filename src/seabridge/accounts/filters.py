"""filters of the accounts app."""
