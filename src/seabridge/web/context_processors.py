from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_info

from seabridge.core.views import request_actor
from seabridge.web.navigation import MENU


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu entries with their URLs and the languages for the switcher."""
    items = []
    for item in MENU:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": request.path == url})
    languages = [
        {"code": code, "name": get_language_info(code)["name_local"]}
        for code, _name in settings.LANGUAGES
    ]
    return {
        "menu_items": items,
        "menu_languages": languages,
        "acting_actor": request_actor(request),
        "acting_memberships": SimpleLazyObject(lambda: _memberships_for_switcher(request)),
    }


def _memberships_for_switcher(request: HttpRequest) -> list[Any]:
    """The organisations the signed-in person may act for (one query, only when shown)."""
    from seabridge.accounts.selectors import memberships_of_user

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(memberships_of_user(user=user))
