"""Headers in any of our languages are matched; templates speak the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from seabridge.imports import selectors, services
from seabridge.imports.choices import ImportStatus
from seabridge.imports.kinds import kind_for
from seabridge.imports.tests.conftest import jac_vin
from seabridge.vehicles.models import Vehicle

LANGUAGES = ["en", "zh-hans", "ar", "es", "pt-br", "fr", "ru"]


def _headers(language: str, *names: str) -> list[str]:
    kind = kind_for("production")
    with translation.override(language):
        return [str(kind.column(name).label) for name in names]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_file_with_headers_in_any_language_is_matched(world, language):
    header = _headers(language, "vin", "variant", "produced_on")
    data = ",".join(header) + f"\n{jac_vin(1)},T8-D,2025-03-01\n"

    # Whatever language the person reading the page uses.
    with translation.override("en"):
        batch = services.import_file(
            actor=world.jac_staff,
            kind="production",
            data=data.encode("utf-8-sig"),
            filename="line.csv",
        )

    assert batch.mapping == {"vin": 0, "variant": 1, "produced_on": 2}
    assert batch.status == ImportStatus.COMMITTED
    assert Vehicle.objects.get().vin == jac_vin(1)


def test_the_catalogues_translate_the_headers():
    assert _headers("zh-hans", "produced_on", "variant") == ["生产日期", "车型代码"]
    assert _headers("es", "produced_on") != ["Production date"]
    assert _headers("ar", "produced_on") != ["Production date"]


def test_a_chinese_file_in_gb18030_with_chinese_headers(world):
    data = (f"生产日期,车型代码,VIN\n2025-03-01,T8-D,{jac_vin(7)}\n").encode("gb18030")

    batch = services.import_file(
        actor=world.jac_staff, kind="production", data=data, filename="产量.csv"
    )

    assert batch.detected_encoding == "gb18030"
    assert batch.status == ImportStatus.COMMITTED
    assert Vehicle.objects.get().vin == jac_vin(7)


def test_the_template_is_in_the_readers_language():
    with translation.override("zh-hans"):
        header, rows = selectors.template_table(kind_for("production"))
    assert header[:3] == ["VIN *", "车型代码 *", "生产日期 *"]
    assert rows[0][0] == kind_for("production").column("vin").example
