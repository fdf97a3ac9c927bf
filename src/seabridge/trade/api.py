"""API endpoints of the trade app."""

from ninja import Router

router = Router(tags=["trade"])
