"""Core has no forms of its own; domain forms use :func:`seabridge.web.forms` helpers."""
