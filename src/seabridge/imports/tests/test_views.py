"""Import pages: upload, preview, mapping, check, commit, report and template downloads."""

from __future__ import annotations

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from seabridge.imports.models import ImportBatch
from seabridge.imports.tests.conftest import jac_vin, production_csv
from seabridge.vehicles.models import Vehicle


def _sign_in(client, actor) -> None:
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


def _upload(client, data: bytes, name: str = "line.csv"):
    return client.post(
        reverse("imports:import-new"),
        {
            "kind": "production",
            "file": SimpleUploadedFile(name, data, "text/csv"),
            "encoding": "auto",
            "delimiter": "",
            "date_order": "dmy",
        },
    )


def test_upload_preview_check_and_commit(client, world, django_capture_on_commit_callbacks):
    _sign_in(client, world.jac_staff)

    response = _upload(client, production_csv(1, 2))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import-detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert jac_vin(1) in page  # the preview shows the first rows as read...
    assert "As Seabridge reads them" in page  # ... and as parsed
    assert "March 1, 2025" in page
    assert "Check the file" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import-check", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "valid"
    assert batch.message == "2 new, 0 changed, 0 already there."
    assert (
        "Import all rows"
        in client.get(reverse("imports:import-detail", args=[batch.pk])).content.decode()
    )
    assert Vehicle.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import-commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert Vehicle.objects.count() == 2
    history = client.get(reverse("imports:import-list")).content.decode()
    assert "line.csv" in history


def test_a_refused_file_shows_its_problems_and_offers_the_report(
    client, world, django_capture_on_commit_callbacks
):
    _sign_in(client, world.jac_staff)
    _upload(client, production_csv(1) + f"{jac_vin(2)},T8-D,someday\n".encode())
    batch = ImportBatch.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import-check", args=[batch.pk]))

    page = client.get(reverse("imports:import-detail", args=[batch.pk])).content.decode()
    assert "someday is not a date; write it as 2025-04-22." in page
    report = client.get(reverse("imports:import-report", args=[batch.pk, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert rows == [
        ("Row", "Column", "Problem"),
        (3, "Produced on", "someday is not a date; write it as 2025-04-22."),
    ]
    assert Vehicle.objects.count() == 0


def test_the_mapping_can_be_corrected_on_the_page(
    client, world, django_capture_on_commit_callbacks
):
    _sign_in(client, world.jac_staff)
    _upload(client, production_csv(1, header="Chassis,Model,Built"))
    batch = ImportBatch.objects.get()
    assert batch.mapping == {}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:import-mapping", args=[batch.pk]),
            {"vin": "0", "variant": "1", "produced_on": "2"},
        )

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping == {"vin": 0, "variant": 1, "produced_on": 2}
    assert batch.status == "valid"  # checked at once by the worker


def test_an_unreadable_upload_is_shown_on_the_form(client, world):
    _sign_in(client, world.jac_staff)

    response = _upload(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "line.xls")

    assert response.status_code == 200
    assert "line.xls is an old Excel 97-2003 workbook (.xls); save it as .xlsx or CSV." in (
        response.content.decode()
    )
    assert ImportBatch.objects.count() == 0


def test_the_template_has_the_headers_in_the_readers_language(client, world):
    _sign_in(client, world.jac_staff)

    response = client.get(
        reverse("imports:import-template", args=["production", "xlsx"]),
        headers={"accept-language": "en"},
    )

    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[0][:3] == ("VIN *", "Variant code *", "Production date *")
    assert len(rows) == 2


def test_the_status_fragment_polls_until_the_import_is_finished(client, world):
    from seabridge.imports.choices import ImportStatus
    from seabridge.imports.services import import_upload

    _sign_in(client, world.jac_staff)
    batch = import_upload(
        actor=world.jac_staff, kind="production", data=production_csv(1), filename="line.csv"
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.COMMITTING)
    url = reverse("imports:import-detail", args=[batch.pk]) + "?fragment=status"

    running = client.get(url, headers={"HX-Request": "true"})

    assert running.status_code == 200
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "Importing" in running.content.decode()

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.COMMITTED)
    finished = client.get(url, headers={"HX-Request": "true"})

    assert finished["HX-Refresh"] == "true"


def test_a_failed_import_may_be_run_again(client, world, django_capture_on_commit_callbacks):
    from seabridge.imports.choices import ImportStatus
    from seabridge.imports.services import import_upload

    _sign_in(client, world.jac_staff)
    batch = import_upload(
        actor=world.jac_staff, kind="production", data=production_csv(1), filename="line.csv"
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import-commit", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert Vehicle.objects.get().vin == jac_vin(1)


def test_a_report_beyond_its_cap_says_how_many_problems_it_leaves_out(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    from seabridge.imports import kinds, views

    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 2)
    monkeypatch.setattr(views, "SHOWN_PROBLEMS", 1)
    _sign_in(client, world.jac_staff)
    lines = "".join(f"{jac_vin(number)},T8-D,someday\n" for number in (1, 2, 3))
    _upload(client, b"VIN,Variant,Produced on\n" + lines.encode())
    batch = ImportBatch.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import-check", args=[batch.pk]))

    page = client.get(reverse("imports:import-detail", args=[batch.pk])).content.decode()
    left_out = re.search(r'data-testid="import-problems-left-out">([^<]*)</p>', page)
    assert left_out is not None
    assert left_out.group(1) == "And 2 more problems. The downloadable report lists more."
    report = client.get(reverse("imports:import-report", args=[batch.pk, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert rows == [
        ("Row", "Column", "Problem"),
        (2, "Produced on", "someday is not a date; write it as 2025-04-22."),
        (3, "Produced on", "someday is not a date; write it as 2025-04-22."),
        (None, None, "And 1 more problem."),
    ]
    assert Vehicle.objects.count() == 0
