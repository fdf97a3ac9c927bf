"""Input hygiene in one place: every API body is JSON or refused in the error shape, no
field holds a control character, and exports survive any string stored before.

Issue 18: "the NUL check applies only to application/json bodies (text/plain or no
content type get through), control characters such as U+0001 are stored, and an order
holding one makes /trade/orders/export.xlsx fail with a server error for everyone;
bodies over the size limit get an HTML 400 page instead of the API's error shape."
"""

import json

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from seabridge.core.exports import neutralise, xlsx_bytes
from seabridge.core.forms import CleanTextMixin
from seabridge.core.tests.test_exports import xlsx_rows
from seabridge.trade.models import ExportOrder
from seabridge.trade.tests.conftest import draft, sign_in, world

__all__ = ["world"]

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/trade/orders"


def refused(character: str) -> str:
    return (
        f"Remove the character U+{ord(character):04X}: no field accepts control characters "
        "other than tab, line feed and carriage return."
    )


def invalid(fields: dict[str, str]) -> dict:
    return {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {name: [refused(character)] for name, character in fields.items()},
        }
    }


def bad_request(message: str) -> dict:
    return {"error": {"code": "bad_request", "message": message, "fields": {}}}


# --- API bodies, whatever their content type -------------------------------------------


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", ""])
def test_a_control_character_is_refused_whatever_the_content_type(client, user, content_type):
    client.force_login(user)
    body = json.dumps({"named_place": "Jed\u0001dah", "notes": "a\u0000b"})
    response = client.post(ORDERS, body, content_type=content_type)
    assert response.status_code == 422
    assert response.json() == invalid({"named_place": "\u0001", "notes": "\u0000"})
    assert ExportOrder.objects.count() == 0


def test_the_refusal_names_a_nested_field_by_its_path(client):
    body = {"lines": [{"variant_code": "T8-D"}, {"variant_code": "T8\u001f"}], "a\u0002": 1}
    response = client.post(ORDERS, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == invalid({"a\ufffd": "\u0002", "lines.1.variant_code": "\u001f"})


def test_tab_line_feed_and_carriage_return_are_allowed(client):
    body = json.dumps({"notes": "first\tline\r\nsecond line\n"})
    response = client.generic("GET", "/api/v1/health", body, content_type="text/plain")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"notes": "unfinished', "The body is not valid JSON."),
        (b"notes=plain+form", "The body is not valid JSON."),
        (b"\xff\xfe{}", "The body is not valid JSON."),
        (b"[" * 100_000, "The body is not valid JSON."),
        (b'["a list"]', "The request body must be a JSON object."),
        (b'"text"', "The request body must be a JSON object."),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400_in_the_error_shape(client, body, message):
    response = client.post(ORDERS, body, content_type="text/plain")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == bad_request(message)


def test_an_oversize_body_is_a_413_in_the_error_shape(client, user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(user)
    body = json.dumps({"notes": "x" * 1000})
    response = client.post(ORDERS, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "error": {
            "code": "request_too_large",
            "message": "The request body is larger than the server accepts.",
            "fields": {},
        }
    }


def test_the_schema_documents_the_new_refusals(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    create = paths[ORDERS]["post"]["responses"]
    health = paths["/api/v1/health"]["get"]["responses"]
    assert {"400", "401", "403", "413", "422", "429"} <= set(create)
    assert create["429"]["description"] == (
        "Too many failed API-token attempts from this address; `Retry-After` says in how "
        "many seconds to try again."
    )
    assert "413" not in health
    assert "429" not in health  # no authentication, so no token to get wrong


# --- query strings and multipart uploads -------------------------------------------------


def test_a_control_character_in_an_api_query_is_a_422_naming_the_parameter(client):
    response = client.get("/api/v1/health?x=a%01b&y=ok")
    assert response.status_code == 422
    assert response.json() == invalid({"x": "\u0001"})


def test_a_control_character_in_a_page_query_is_a_400(client, user):
    client.force_login(user)
    response = client.get("/agreements/?q=%1b")
    assert response.status_code == 400
    assert response.content.decode() == refused("\u001b")


def test_a_multipart_upload_is_read_as_a_form_not_as_json(client):
    upload = SimpleUploadedFile("line.csv", b"vin\n", "text/csv")
    response = client.post("/api/v1/imports/production", {"file": upload, "encoding": "utf-8"})
    assert response.status_code == 401  # past the hygiene, to the authentication


def test_a_control_character_in_a_multipart_field_is_a_422(client):
    upload = SimpleUploadedFile("line.csv", b"vin\n", "text/csv")
    response = client.post("/api/v1/imports/production", {"file": upload, "encoding": "utf\u00068"})
    assert response.status_code == 422
    assert response.json() == invalid({"encoding": "\u0006"})


# --- forms -------------------------------------------------------------------------------


class NoteForm(CleanTextMixin, forms.Form):
    title = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)
    count = forms.IntegerField(required=False)


def test_a_form_field_with_a_control_character_gets_a_field_error():
    form = NoteForm({"title": "Re\u0001port", "note": "line one\r\nline\ttwo", "count": "2"})
    assert not form.is_valid()
    assert form.errors == {"title": [refused("\u0001")]}


def test_a_nul_in_a_form_field_is_named_once():
    form = NoteForm({"title": "a\u0000b", "note": "ok"})
    assert form.errors == {"title": ["Null characters are not allowed."]}


# --- exports -----------------------------------------------------------------------------


def test_an_export_cell_replaces_a_control_character():
    assert neutralise("Jed\u0001dah") == "Jed\ufffddah"
    assert neutralise("\u0002=1+1") == "\ufffd=1+1"
    assert neutralise("a\tb\nc") == "a\tb\nc"


def test_an_xlsx_holds_any_stored_string():
    content = xlsx_bytes(["Note\u0003"], [["a\u0001b"], ["\ud800"]])
    assert xlsx_rows(content) == [
        ["Note\ufffd"],
        ["a\ufffdb"],
        ["\ufffd"],
    ]


def test_an_order_stored_with_a_control_character_still_exports(client, world):
    order = draft(world)
    # Stored before the hygiene existed, so written past the services.
    ExportOrder.objects.filter(pk=order.pk).update(
        named_place="Jed\u0001dah", notes="held \u0001 here"
    )
    sign_in(client, world.jac_viewer)
    response = client.get("/trade/orders/export.xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response.content)
    assert rows[0][7] == "Named place"
    assert rows[1][7] == "Jed\ufffddah"
    assert client.get("/trade/orders/export.csv").status_code == 200
