"""forms of the accounts app."""
