"""Database backends: Django's, with the limits of the engines we ship with."""
