"""views of the accounts app."""
