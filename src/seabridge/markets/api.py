"""API endpoints of the markets app."""

from ninja import Router

router = Router(tags=["markets"])
