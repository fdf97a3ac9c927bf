"""The import framework: upload, mapping, checking, all-or-nothing commit, idempotency."""

from __future__ import annotations

import codecs
import io
from datetime import date

import pytest
from openpyxl import Workbook

from seabridge.analytics.facts import facts_check
from seabridge.core.errors import Conflict, ValidationFailed
from seabridge.core.models import AuditEvent, Job
from seabridge.imports import kinds, selectors, services
from seabridge.imports.choices import ImportStatus
from seabridge.imports.kinds import kind_for
from seabridge.imports.models import ImportBatch
from seabridge.imports.tests.conftest import jac_vin, production_csv
from seabridge.vehicles.models import Vehicle, VehicleEvent
from seabridge.vehicles.tests.access import NEZHA_VIN


def _import(world, data: bytes, *, filename: str = "line.csv", commit: bool = True, **options):
    return services.import_file(
        actor=world.jac_staff,
        kind="production",
        data=data,
        filename=filename,
        commit=commit,
        **options,
    )


def test_a_file_is_imported_whole_with_who_when_and_its_checksum(world):
    batch = _import(world, production_csv(1, 2, 3))

    assert batch.status == ImportStatus.COMMITTED
    assert batch.summary == {"created": 3, "updated": 0, "unchanged": 0}
    assert batch.rows_total == 3
    assert batch.error_count == 0
    assert batch.created_by == world.jac_staff.user
    assert batch.organization == world.jac
    assert batch.committed_at is not None
    assert len(batch.checksum) == 64
    assert sorted(Vehicle.objects.values_list("vin", flat=True)) == [
        jac_vin(1),
        jac_vin(2),
        jac_vin(3),
    ]
    assert set(Vehicle.objects.values_list("produced_on", flat=True)) == {date(2025, 3, 1)}
    audit = AuditEvent.objects.get(action="import.production")
    assert audit.changes["checksum"] == batch.checksum
    assert audit.changes["created"] == 3
    assert facts_check() == []


def test_the_same_file_twice_changes_nothing_and_says_so(world):
    data = production_csv(1, 2)
    first = _import(world, data)
    events = VehicleEvent.objects.count()

    second = _import(world, data)

    assert second.pk != first.pk
    assert second.status == ImportStatus.UNCHANGED
    assert second.summary == {"created": 0, "updated": 0, "unchanged": 2}
    assert second.message.startswith("All 2 rows are already in Seabridge; nothing changed.")
    assert "The same file was imported on" in second.message
    assert Vehicle.objects.count() == 2
    assert VehicleEvent.objects.count() == events


def test_one_bad_row_refuses_the_whole_file(world):
    data = production_csv(1, 2) + f"{jac_vin(3)},T8-D,31/02/2025\n".encode()

    batch = _import(world, data)

    assert batch.status == ImportStatus.REFUSED
    assert batch.errors == [
        {
            "row": 4,
            "column": "Produced on",
            "message": "31/02/2025 is not a date; write it as 2025-04-22.",
        }
    ]
    assert batch.message == "The file was refused: 1 problem. Nothing was imported."
    assert Vehicle.objects.count() == 0
    assert VehicleEvent.objects.count() == 0


def test_a_missing_required_column_is_named(world):
    batch = _import(world, f"VIN,Produced on\n{jac_vin(1)},2025-03-01\n".encode())

    assert batch.status == ImportStatus.REFUSED
    assert [problem["message"] for problem in batch.errors] == [
        "The file has no column for Variant code, which is required."
    ]
    assert Vehicle.objects.count() == 0


def test_a_key_twice_in_one_file_is_refused_naming_both_rows(world):
    batch = _import(world, production_csv(1, 2, 1))

    assert batch.status == ImportStatus.REFUSED
    assert [(problem["row"], problem["message"]) for problem in batch.errors] == [
        (4, f"Row 4 repeats row 2 ({jac_vin(1)}).")
    ]
    assert Vehicle.objects.count() == 0


def test_an_empty_cell_of_a_required_column_is_named(world):
    batch = _import(world, f"VIN,Variant,Produced on\n{jac_vin(1)},,2025-03-01\n".encode())

    assert batch.errors == [{"row": 2, "column": "Variant", "message": "This cell is required."}]


def test_headers_match_case_insensitively_with_required_marks(world):
    batch = _import(world, production_csv(1, header="vin *, VARIANT CODE ,produced ON"))

    assert batch.status == ImportStatus.COMMITTED
    assert batch.mapping == {"vin": 0, "variant": 1, "produced_on": 2}


def test_a_corrected_mapping_is_used_and_checked(world):
    data = production_csv(1, header="Chassis,Model,Built")
    batch = services.import_upload(
        actor=world.jac_staff, kind="production", data=data, filename="line.csv"
    )
    assert batch.mapping == {}

    with pytest.raises(ValidationFailed) as refused:
        services.import_set_mapping(
            actor=world.jac_staff, batch=batch, mapping={"vin": 0, "variant": 0}
        )
    assert refused.value.fields == {"variant": ["Column Chassis is already used for VIN."]}

    services.import_set_mapping(
        actor=world.jac_staff,
        batch=batch,
        mapping={"vin": 0, "variant": 1, "produced_on": 2, "plant": None},
    )
    batch = services.import_commit(actor=world.jac_staff, batch=batch)

    assert batch.status == ImportStatus.COMMITTED
    assert Vehicle.objects.get().vin == jac_vin(1)


def test_a_file_that_cannot_be_read_is_refused_before_anything_is_kept(world):
    with pytest.raises(ValidationFailed) as refused:
        services.import_upload(
            actor=world.jac_staff, kind="production", data=b"", filename="empty.csv"
        )
    assert refused.value.message == "The file is empty."

    with pytest.raises(ValidationFailed) as refused:
        services.import_upload(
            actor=world.jac_staff,
            kind="production",
            data=b"PK\x03\x04 not really a workbook",
            filename="line.xlsx",
        )
    assert refused.value.message == "The file is not a readable Excel workbook (.xlsx)."
    assert ImportBatch.objects.count() == 0


def test_too_many_rows_are_refused_with_the_limit(world, settings):
    settings.IMPORT_MAX_ROWS = 2

    with pytest.raises(ValidationFailed) as refused:
        _import(world, production_csv(1, 2, 3))

    assert refused.value.message == "The file has more than 2 rows; split it into several files."
    assert Vehicle.objects.count() == 0


def test_an_xlsx_with_a_formula_cell_is_refused_naming_the_cell(world):
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["VIN", "Variant", "Produced on", "Line sequence"])
    sheet.append([jac_vin(1), "T8-D", date(2025, 3, 1), 7])
    sheet.append([jac_vin(2), "T8-D", date(2025, 3, 1), "=D2+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    batch = _import(world, buffer.getvalue(), filename="line.xlsx")

    assert batch.status == ImportStatus.REFUSED
    assert batch.errors == [
        {
            "row": 3,
            "column": "Line sequence",
            "message": "This cell holds a formula (=D2+1); paste the values instead.",
        }
    ]
    assert Vehicle.objects.count() == 0


def test_a_write_that_fails_halfway_keeps_nothing(world, monkeypatch):
    kind = kind_for("production")
    real_apply = type(kind).apply

    def apply_then_fail(self, context, prepared):
        real_apply(self, context, prepared)
        assert Vehicle.objects.count() == 3  # written inside the transaction...
        raise Conflict("A VIN was registered by someone else meanwhile; try again.")

    monkeypatch.setattr(type(kind), "apply", apply_then_fail)

    batch = _import(world, production_csv(1, 2, 3))

    assert batch.status == ImportStatus.REFUSED
    assert batch.errors == [
        {
            "row": None,
            "column": None,
            "message": "A VIN was registered by someone else meanwhile; try again.",
        }
    ]
    assert Vehicle.objects.count() == 0  # ... and rolled back
    assert VehicleEvent.objects.count() == 0
    assert facts_check() == []


def test_an_idempotency_key_answers_the_first_import_and_refuses_another_file(world):
    data = production_csv(1)
    first = services.import_upload(
        actor=world.jac_staff,
        kind="production",
        data=data,
        filename="line.csv",
        idempotency_key="nj-2025-03-01",
    )

    again = services.import_upload(
        actor=world.jac_staff,
        kind="production",
        data=data,
        filename="line.csv",
        idempotency_key="nj-2025-03-01",
    )
    assert again.pk == first.pk

    with pytest.raises(Conflict) as refused:
        services.import_upload(
            actor=world.jac_staff,
            kind="production",
            data=production_csv(2),
            filename="line.csv",
            idempotency_key="nj-2025-03-01",
        )
    assert refused.value.message == "The idempotency key nj-2025-03-01 was used for another file."
    assert ImportBatch.objects.count() == 1


def test_the_background_commit_reports_progress_on_its_job(
    world, django_capture_on_commit_callbacks
):
    batch = services.import_upload(
        actor=world.jac_staff, kind="production", data=production_csv(1, 2), filename="line.csv"
    )

    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_start(actor=world.jac_staff, batch=batch, commit=True)

    job = Job.objects.get(pk=job.pk)
    batch.refresh_from_db()
    assert job.status == "succeeded"
    assert job.result == {
        "batch": batch.pk,
        "status": "committed",
        "summary": {"created": 2, "updated": 0, "unchanged": 0},
    }
    assert batch.status == ImportStatus.COMMITTED
    assert Vehicle.objects.count() == 2


def test_a_viewer_may_not_import_and_nothing_is_kept(world):
    from seabridge.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.import_file(
            actor=world.jac_viewer,
            kind="production",
            data=production_csv(1),
            filename="line.csv",
        )
    assert ImportBatch.objects.count() == 0
    assert Vehicle.objects.count() == 0


def test_another_organisations_import_cannot_be_committed(world):
    batch = services.import_upload(
        actor=world.jac_staff, kind="production", data=production_csv(1), filename="line.csv"
    )
    from seabridge.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.import_commit(actor=world.partner_admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UPLOADED
    assert Vehicle.objects.count() == 0


def test_an_unknown_kind_names_the_kinds_there_are(world):
    with pytest.raises(ValidationFailed) as refused:
        services.import_file(
            actor=world.jac_staff, kind="rockets", data=b"a\n1\n", filename="x.csv"
        )
    assert refused.value.fields["kind"][0].startswith("Unknown kind of import rockets; use one of:")


# --- every problem of every stage, in one report ---------------------------------------------


def _production_file(*lines: str, header: str = "VIN,Variant code,Production date") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


def test_every_stage_reports_its_problems_in_one_report(world):
    nezha_vin = NEZHA_VIN
    _import(world, _production_file(f"{jac_vin(9)},T8-D,2025-03-01"))
    services.import_file(
        actor=world.nezha_admin,
        kind="production",
        data=_production_file(f"{nezha_vin},V-BEV,2025-03-01"),
        filename="nezha.csv",
    )
    before = (Vehicle.objects.count(), VehicleEvent.objects.count(), ImportBatch.objects.count())
    data = _production_file(
        f"{jac_vin(1)},T8-D,31/02/2025",  # row 2: a cell that is no date
        f"{nezha_vin},T8-D,2025-03-01",  # row 3: another maker's VIN
        f"{jac_vin(3)},T8-D",  # row 4: a short row
        f"{jac_vin(4)},,someday",  # row 5: an empty required cell and no date
        f"{jac_vin(5)},T8-D,2025-03-01",  # row 6: fine
        f"{jac_vin(5)},T8-D,2025-03-02",  # row 7: repeats row 6
        f"{jac_vin(7)},V-BEV,2025-03-01",  # row 8: not a variant of the actor's
        f"{jac_vin(9)},T8-D,2025-03-09",  # row 9: registered with other facts
    )

    batch = _import(world, data)

    assert batch.status == ImportStatus.REFUSED
    assert [
        (problem["row"], problem["column"], problem["message"]) for problem in batch.errors
    ] == [
        (2, "Production date", "31/02/2025 is not a date; write it as 2025-04-22."),
        (3, "VIN", f"{nezha_vin} is already registered."),
        (4, None, "Row 4 has 2 cells; the header has 3."),
        (5, "Variant code", "This cell is required."),
        (5, "Production date", "someday is not a date; write it as 2025-04-22."),
        (7, None, f"Row 7 repeats row 6 ({jac_vin(5)})."),
        (8, "Variant code", "V-BEV is not a variant code of your brands."),
        (
            9,
            "VIN",
            f"{jac_vin(9)} is already registered with other data; production history is "
            "not rewritten.",
        ),
    ]
    assert batch.error_count == 8
    assert batch.message == "The file was refused: 8 problems. Nothing was imported."
    assert (Vehicle.objects.count(), VehicleEvent.objects.count()) == before[:2]


def test_a_missing_required_column_does_not_hide_the_problems_of_the_cells(world):
    data = f"VIN,Production date\r\n{jac_vin(1)},2025-03-01\r\n{jac_vin(2)},someday\r\n".encode()

    batch = _import(world, data)

    assert [
        (problem["row"], problem["column"], problem["message"]) for problem in batch.errors
    ] == [
        (None, None, "The file has no column for Variant code, which is required."),
        (3, "Production date", "someday is not a date; write it as 2025-04-22."),
    ]
    assert batch.summary == {}
    assert Vehicle.objects.count() == 0


def test_the_report_keeps_the_first_thousand_problems_in_file_order_and_counts_the_rest(world):
    # Rows 2 to 1201: the odd ones hold no date (found while parsing), the even ones a
    # variant that is not JAC's (found by the kind's check, after every row is parsed).
    lines = [
        f"{jac_vin(number)},T8-D,someday" if number % 2 else f"{jac_vin(number)},ZZ,2025-03-01"
        for number in range(2, 1202)
    ]

    batch = _import(world, _production_file(*lines))

    assert batch.status == ImportStatus.REFUSED
    assert batch.error_count == 1200
    assert len(batch.errors) == 1000
    assert [problem["row"] for problem in batch.errors] == list(range(2, 1002))
    assert batch.errors[:2] == [
        {"row": 2, "column": "Variant code", "message": "ZZ is not a variant code of your brands."},
        {
            "row": 3,
            "column": "Production date",
            "message": "someday is not a date; write it as 2025-04-22.",
        },
    ]
    assert batch.message == "The file was refused: 1200 problems. Nothing was imported."
    assert selectors.problems_left_out(batch, listed=len(batch.errors)) == (
        "And 200 more problems."
    )
    _header, rows = selectors.report_table(batch)
    assert len(rows) == 1001
    assert rows[-1] == ["", "", "And 200 more problems."]
    assert Vehicle.objects.count() == 0
    assert VehicleEvent.objects.count() == 0


def test_the_problems_beyond_the_cap_are_counted_with_grouped_digits(world, monkeypatch):
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 1)
    lines = [f"{jac_vin(number)},T8-D,someday" for number in range(1, 1 + 1236)]

    batch = _import(world, _production_file(*lines))

    assert (batch.error_count, len(batch.errors)) == (1236, 1)
    assert selectors.problems_left_out(batch, listed=1) == "And 1,235 more problems."
    assert selectors.problems_left_out(batch, listed=1235) == "And 1 more problem."
    assert selectors.problems_left_out(batch, listed=1236) == ""


# --- a byte-order mark before text in another encoding ----------------------------------------


def test_a_windows_1252_file_with_a_utf8_byte_order_mark_imports_in_the_encoding_suggested(
    world, tmp_path
):
    path = tmp_path / "producción.csv"
    text = f"VIN,Variant code,Fecha de producción\r\n{jac_vin(1)},T8-D,01/03/2025\r\n"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("cp1252"))
    data = path.read_bytes()

    with pytest.raises(ValidationFailed) as refused:
        _import(world, data, filename=path.name)
    assert refused.value.message == (
        "The file is not valid UTF-8 text (byte 38); choose another encoding."
    )

    batch = _import(world, data, filename=path.name, encoding="cp1252")

    assert batch.status == ImportStatus.COMMITTED, batch.errors
    assert (batch.detected_encoding, batch.header) == (
        "cp1252",
        ["VIN", "Variant code", "Fecha de producción"],
    )
    assert list(Vehicle.objects.values_list("vin", "produced_on")) == [
        (jac_vin(1), date(2025, 3, 1))
    ]
