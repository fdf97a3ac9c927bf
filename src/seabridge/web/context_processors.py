from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_info

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
    return {"menu_items": items, "menu_languages": languages}
