"""The translation catalogues are complete: every string the source marks is in each
catalogue, translated, and not fuzzy; and no template shows text it did not mark."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import override_settings

SOURCE = Path(__file__).resolve().parents[2]  # src/seabridge
LOCALE = SOURCE / "locale"
LANGUAGES = ("zh_Hans", "ar", "es", "pt_BR", "fr", "ru")

Key = tuple[str, str | None]  # (msgid, msgctxt)


def _catalogue(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po)


def _key(message: object) -> Key:
    msgid = message.id  # type: ignore[attr-defined]
    return (msgid[0] if isinstance(msgid, tuple) else msgid, message.context)  # type: ignore[attr-defined]


def _keys(catalogue: Catalog) -> set[Key]:
    return {_key(message) for message in catalogue if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalogue = _catalogue(LOCALE / language / "LC_MESSAGES" / "django.po")
    fuzzy, untranslated = [], []
    for message in catalogue:
        if not message.id:
            continue
        if message.fuzzy:
            fuzzy.append(_key(message)[0])
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(_key(message)[0])
    assert (fuzzy[:20], untranslated[:20]) == ([], [])
    assert len(catalogue) > 1000


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> set[Key]:
    """The strings the source marks today, extracted as ``make messages`` does, from a copy
    of the package (so the committed catalogues are not touched)."""
    copy = tmp_path_factory.mktemp("source") / "seabridge"
    shutil.copytree(
        SOURCE,
        copy,
        ignore=shutil.ignore_patterns("locale", "tests", "__pycache__", "*.pyc", "node_modules"),
    )
    (copy / "locale").mkdir()
    with pytest.MonkeyPatch.context() as patch, override_settings(LOCALE_PATHS=[copy / "locale"]):
        patch.chdir(copy)
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    return _keys(_catalogue(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_holds_exactly_the_strings_the_source_marks(
    marked: set[Key], language: str
) -> None:
    """A string marked in the code but missing from a catalogue would show in English; run
    ``make messages`` and translate the new entries."""
    held = _keys(_catalogue(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert sorted(marked - held, key=str)[:20] == []
    assert sorted(held - marked, key=str)[:20] == []


# Text a template may show as it is: names, codes and symbols no language translates.
AS_IS = re.compile(
    r"^(?:Seabridge|VIN|SHA-256|CSV|XLSX|TAB|CNY|USD|API|JSON|PDF|ISO|[A-Z]{2,3}|[\W\d_]+)$"
)
TEXT_ATTRIBUTE = re.compile(r"""\b(?:title|placeholder|aria-label|alt)\s*=\s*"([^"\0]*)\"""")
WORD = re.compile(r"[^\W\d_]{2,}")


def _unmarked(template: Path) -> list[str]:
    """The literal words ``template`` shows outside translation tags."""
    text = template.read_text(encoding="utf-8")
    text = re.sub(
        r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", "\0", text, flags=re.S
    )
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"{[%{].*?[%}]}", "\0", text, flags=re.S)  # tags and variables
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)  # code
    found = [
        value.strip()
        for value in TEXT_ATTRIBUTE.findall(text)
        if WORD.search(value) and not AS_IS.match(value.strip())
    ]
    prose = re.sub(r"<[^>]*>", "\n", text, flags=re.S)
    prose = re.sub(r"&#?\w+;", " ", prose)
    for piece in re.split(r"\s{2,}|\n|\0|·|\|", prose):
        piece = piece.strip()
        if WORD.search(piece) and not all(AS_IS.match(word) for word in piece.split()):
            found.append(piece)
    return found


def test_no_template_shows_text_it_did_not_mark_for_translation() -> None:
    templates = sorted(SOURCE.glob("*/templates/**/*.html"))
    assert len(templates) > 50
    unmarked = {
        str(template.relative_to(SOURCE)): words
        for template in templates
        if (words := _unmarked(template))
    }
    assert unmarked == {}


def test_the_template_check_finds_unmarked_text(tmp_path: Path) -> None:
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<h1 title="Vehicles">{% translate "Vehicles" %}</h1>\n'
        "<p>Stock on hand: {{ count }}</p>\n"
        "{% blocktranslate %}Shown as it is {{ n }}{% endblocktranslate %}\n"
        '<script>const label = "not prose";</script>\n'
        "<td>VIN</td><td>SHA-256</td><td>· 12 %</td>",
        encoding="utf-8",
    )
    assert _unmarked(template) == ["Vehicles", "Stock on hand:"]


def test_the_extraction_finds_the_strings_of_every_app(marked: set[Key]) -> None:
    assert len(marked) > 1000
    assert ("Vehicles", None) in marked
    assert ("Retail sales", None) in marked


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "missing", "loc": ("body", "vin")}, "This field is required."),
        ({"type": "int_parsing"}, "Enter a whole number."),
        ({"type": "date_from_datetime_parsing"}, "Enter a valid date."),
        ({"type": "greater_than", "ctx": {"gt": 0}}, "Ensure this value is greater than 0."),
        ({"type": "string_too_long", "ctx": {"max_length": 17}}, "Too long (maximum length: 17)."),
        ({"type": "too_short", "ctx": {"min_length": 1}}, "Too few items: at least 1."),
        (
            {"type": "literal_error", "ctx": {"expected": "'tt', 'lc' or 'dp'"}},
            "Choose one of: tt, lc, dp.",
        ),
        ({"type": "value_error", "ctx": {"error": ValueError("Use ISO.")}}, "Use ISO."),
        ({"type": "string_pattern_mismatch", "ctx": {"pattern": "^x$"}}, "Enter a valid value."),
        ({"type": "a_type_pydantic_adds_later"}, "Enter a valid value."),
    ],
)
def test_schema_refusals_have_messages_of_our_own(error: dict, message: str) -> None:
    from seabridge.core.errors import validation_message

    assert validation_message(error) == message


def test_schema_refusals_name_their_fields_without_the_request_part() -> None:
    from seabridge.core.errors import validation_fields

    errors = [
        {"type": "missing", "loc": ("body", "payload", "customer", "name")},
        {"type": "missing", "loc": ("body", "payload", "price")},
        {"type": "int_parsing", "loc": ("body", "payload", "price")},
        {"type": "json_invalid", "loc": ()},
    ]
    assert validation_fields(errors, locations=("body", "payload")) == {
        "customer.name": ["This field is required."],
        "price": ["This field is required.", "Enter a whole number."],
        "__all__": ["The body is not valid JSON."],
    }
