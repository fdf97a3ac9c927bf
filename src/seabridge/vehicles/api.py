"""API endpoints of the vehicles app."""

from ninja import Router

router = Router(tags=["vehicles"])
