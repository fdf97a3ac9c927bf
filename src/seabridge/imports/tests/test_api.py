"""The imports API: a file in, a job to poll, the report out; Idempotency-Key honoured."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from seabridge.imports.models import ImportBatch
from seabridge.imports.tests.conftest import jac_vin, production_csv
from seabridge.vehicles.models import Vehicle

URL = "/api/v1/imports/production"


def _headers(world, name: str = "jac_staff", **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.token_for(name)}", **extra}


def _post(client, callbacks, data: dict, headers: dict):
    with callbacks(execute=True):
        return client.post(URL, data, headers=headers)


def _file(data: bytes, name: str = "line.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "text/csv")


def test_a_file_sent_is_checked_and_committed_in_the_background(
    client, world, django_capture_on_commit_callbacks
):
    response = _post(
        client,
        django_capture_on_commit_callbacks,
        {"file": _file(production_csv(1, 2))},
        _headers(world),
    )

    assert response.status_code == 202
    body = response.json()
    assert body["kind"] == "production"
    assert body["filename"] == "line.csv"
    assert body["job_id"]
    batch = ImportBatch.objects.get(pk=body["id"])
    # The suite's task backend runs the job at once; a client polls until it is finished.
    polled = client.get(f"/api/v1/imports/production/{batch.pk}", headers=_headers(world)).json()
    assert polled["status"] == "committed"
    assert polled["summary"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert polled["progress_done"] == polled["progress_total"]
    assert Vehicle.objects.count() == 2


def test_a_dry_run_only_checks(client, world, django_capture_on_commit_callbacks):
    response = _post(
        client,
        django_capture_on_commit_callbacks,
        {"file": _file(production_csv(1)), "dry_run": "true"},
        _headers(world),
    )

    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert batch.status == "valid"
    assert Vehicle.objects.count() == 0


def test_the_report_names_rows_and_columns(client, world, django_capture_on_commit_callbacks):
    data = production_csv(1) + f"{jac_vin(2)},T8-D,someday\n".encode()

    response = _post(
        client, django_capture_on_commit_callbacks, {"file": _file(data)}, _headers(world)
    )

    polled = client.get(
        f"/api/v1/imports/production/{response.json()['id']}", headers=_headers(world)
    )
    assert polled.json()["status"] == "refused"
    assert polled.json()["errors"] == [
        {
            "row": 3,
            "column": "Produced on",
            "message": "someday is not a date; write it as 2025-04-22.",
        }
    ]
    assert Vehicle.objects.count() == 0


def test_the_same_idempotency_key_answers_the_first_import(
    client, world, django_capture_on_commit_callbacks
):
    headers = _headers(world, **{"Idempotency-Key": "nanjing-0301"})
    first = _post(
        client, django_capture_on_commit_callbacks, {"file": _file(production_csv(1))}, headers
    )

    again = _post(
        client, django_capture_on_commit_callbacks, {"file": _file(production_csv(1))}, headers
    )

    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert ImportBatch.objects.count() == 1
    assert Vehicle.objects.count() == 1

    other = client.post(URL, {"file": _file(production_csv(2))}, headers=headers)
    assert other.status_code == 409
    assert other.json()["error"]["message"] == (
        "The idempotency key nanjing-0301 was used for another file."
    )
    assert Vehicle.objects.count() == 1


def test_an_unreadable_file_is_a_422_and_nothing_is_kept(client, world):
    response = client.post(URL, {"file": _file(b"", "empty.csv")}, headers=_headers(world))

    assert response.status_code == 422
    assert response.json()["error"]["message"] == "The file is empty."
    assert ImportBatch.objects.count() == 0


def test_the_kinds_list_their_columns(client, world):
    kinds = client.get("/api/v1/imports/kinds", headers=_headers(world)).json()

    codes = [kind["code"] for kind in kinds]
    assert codes == sorted(codes)
    assert {
        "export_orders",
        "market_profiles",
        "production",
        "retail_sales",
        "sales_targets",
        "shipments",
        "stock_count",
        "wholesale",
    } <= set(codes)
    production = next(kind for kind in kinds if kind["code"] == "production")
    assert production["key"] == ["vin"]
    assert production["columns"][0]["name"] == "vin"
    assert production["columns"][0]["required"] is True


def test_another_organisations_import_is_not_found(client, world):
    response = client.post(URL, {"file": _file(production_csv(1))}, headers=_headers(world))

    foreign = client.get(
        f"/api/v1/imports/production/{response.json()['id']}",
        headers=_headers(world, "partner_admin"),
    )

    assert foreign.status_code == 404
