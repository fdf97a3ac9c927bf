"""Reading planning's pages as a person does: what they say, not how they are marked up.

A :class:`Page` gives the text of every element with an id, each table's rows under
its caption, each drop-down's options, each input's value and attributes, each form's
action with its buttons and hidden values, and the page's links, so that the view tests
assert words, numbers and links and survive a change of Bootstrap classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def _words(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


@dataclass
class Option:
    value: str
    text: str
    selected: bool


@dataclass
class Form:
    action: str
    buttons: list[str] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)


class Page(HTMLParser):
    """What a rendered page says; see the module's docstring."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.texts: dict[str, list[str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.options: dict[str, list[Option]] = {}
        self.inputs: dict[str, dict[str, str]] = {}
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._all: list[str] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, id)
        self._rows: list[list[str]] | None = None
        self._table_name = ""
        self._caption: list[str] | None = None
        self._cell: list[str] | None = None
        self._select: str | None = None
        self._option: tuple[str, bool, list[str]] | None = None
        self._link: tuple[str, list[str]] | None = None
        self._button: list[str] | None = None
        self.feed(html)

    @classmethod
    def of(cls, response: Any) -> Page:
        return cls(response.content.decode())

    # --- parsing -------------------------------------------------------------------------

    def _collectors(self) -> list[list[str]]:
        collectors = [self.texts[element_id] for _tag, element_id in self._open if element_id]
        for part in (self._cell, self._caption, self._button):
            if part is not None:
                collectors.append(part)
        if self._option is not None:
            collectors.append(self._option[2])
        if self._link is not None:
            collectors.append(self._link[1])
        return [self._all, *collectors]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for collector in self._collectors():
            collector.append(" ")  # an element starts a new word
        if tag == "input":
            self._input(values)
        if tag in VOID:
            return
        element_id = values.get("id") or None
        self._open.append((tag, element_id))
        if element_id:
            self.texts[element_id] = []
        self._start(tag, values)

    def _input(self, values: dict[str, str]) -> None:
        name = values.get("name", "")
        if values.get("type") == "hidden" and self.forms and name != "csrfmiddlewaretoken":
            self.forms[-1].hidden[name] = values.get("value", "")
        elif name:
            self.inputs[name] = values

    def _start(self, tag: str, values: dict[str, str]) -> None:
        if tag == "table":
            self._rows = []
            self._table_name = f"table {len(self.tables) + 1}"  # until its caption names it
        elif tag == "caption" and self._rows is not None:
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
        elif tag == "select":
            self._select = values.get("id", values.get("name", ""))
            self.options[self._select] = []
        elif tag == "option":
            self._option = (values.get("value", ""), "selected" in values, [])
        elif tag == "a" and "href" in values:
            self._link = (values["href"], [])
        elif tag == "form":
            self.forms.append(Form(action=values.get("action", "")))
        elif tag == "button":
            self._button = []

    def handle_endtag(self, tag: str) -> None:
        self._end(tag)
        while self._open:
            open_tag, _element_id = self._open.pop()
            if open_tag == tag:
                break

    def _end(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(_words(self._cell))
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self._table_name = _words(self._caption)
            self._caption = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._table_name] = self._rows
            self._rows = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self.options[self._select].append(Option(value, _words(text), selected))
            self._option = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], _words(self._link[1])))
            self._link = None
        elif tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons.append(_words(self._button))
            self._button = None

    def handle_data(self, data: str) -> None:
        for collector in self._collectors():
            collector.append(data)

    # --- reading -------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """All the page's words, spaces collapsed."""
        return _words(self._all)

    def text_of(self, element_id: str) -> str:
        return _words(self.texts[element_id])

    def body(self, caption: str) -> list[list[str]]:
        """The rows of the table so captioned, below its header."""
        return self.tables[caption][1:]

    def choices(self, select_id: str) -> list[tuple[str, str]]:
        """(value, text) of each option of a drop-down."""
        return [(option.value, option.text) for option in self.options[select_id]]

    def chosen(self, select_id: str) -> list[str]:
        return [option.value for option in self.options[select_id] if option.selected]

    def value(self, name: str) -> str | None:
        """The value of the input so named; None when the page has no such input."""
        found = self.inputs.get(name)
        return None if found is None else found.get("value", "")

    def form_to(self, action: str) -> Form | None:
        return next((form for form in self.forms if form.action == action), None)

    def links_to(self, href: str) -> list[str]:
        """The text of each link to ``href``."""
        return [text for target, text in self.links if target == href]
