"""Reads of the markets app."""
