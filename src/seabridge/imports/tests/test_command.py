"""``seabridge import KIND FILE --as ORG --user EMAIL [--dry-run]``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from seabridge.imports.models import ImportBatch
from seabridge.imports.tests.conftest import jac_vin, production_csv
from seabridge.vehicles.models import Vehicle


def _run(world, path, *extra: str) -> str:
    import io

    out = io.StringIO()
    call_command(
        "import",
        "production",
        str(path),
        "--as",
        "JAC",
        "--user",
        "jac_staff",
        *extra,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def test_the_command_imports_a_file(world, tmp_path):
    path = tmp_path / "line.csv"
    path.write_bytes(production_csv(1, 2))

    output = _run(world, path)

    assert output == "Imported: 2 new, 0 changed, 0 already there.\n"
    assert Vehicle.objects.count() == 2


def test_a_dry_run_writes_nothing(world, tmp_path):
    path = tmp_path / "line.csv"
    path.write_bytes(production_csv(1, 2))

    output = _run(world, path, "--dry-run")

    assert output == "2 new, 0 changed, 0 already there.\n"
    assert Vehicle.objects.count() == 0
    assert ImportBatch.objects.get().status == "valid"


def test_a_refused_file_prints_the_report_and_fails(world, tmp_path):
    path = tmp_path / "line.csv"
    path.write_bytes(production_csv(1) + f"{jac_vin(2)},T8-D,someday\n".encode())

    import io

    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import",
            "production",
            str(path),
            "--as",
            "JAC",
            "--user",
            "jac_staff",
            stdout=out,
            stderr=io.StringIO(),
        )

    assert str(failed.value) == "line.csv refused: nothing was imported."
    assert failed.value.returncode == 1
    assert out.getvalue() == (
        "row 3, Produced on: someday is not a date; write it as 2025-04-22.\n"
        "The file was refused: 1 problem. Nothing was imported.\n"
    )
    assert Vehicle.objects.count() == 0


def test_a_person_who_is_not_a_member_is_refused(world, tmp_path):
    path = tmp_path / "line.csv"
    path.write_bytes(production_csv(1))

    with pytest.raises(CommandError) as failed:
        call_command(
            "import",
            "production",
            str(path),
            "--as",
            "JAC",
            "--user",
            "partner_admin",
        )

    assert str(failed.value) == "--user partner_admin is not a member of --as JAC."
    assert Vehicle.objects.count() == 0


def test_the_report_says_how_many_problems_it_leaves_out(world, tmp_path, monkeypatch):
    import io

    from seabridge.imports import kinds

    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 1)
    path = tmp_path / "line.csv"
    path.write_bytes(
        b"VIN,Variant,Produced on\n"
        + "".join(f"{jac_vin(number)},T8-D,someday\n" for number in (1, 2, 3)).encode()
    )

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import",
            "production",
            str(path),
            "--as",
            "JAC",
            "--user",
            "jac_staff",
            stdout=out,
            stderr=io.StringIO(),
        )

    assert out.getvalue() == (
        "row 2, Produced on: someday is not a date; write it as 2025-04-22.\n"
        "And 2 more problems.\n"
        "The file was refused: 3 problems. Nothing was imported.\n"
    )
    assert Vehicle.objects.count() == 0
