from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    """Where an uploaded file stands: checked, refused, or written."""

    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Checking")
    VALID = "valid", _("Ready to import")
    REFUSED = "refused", _("Refused")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    UNCHANGED = "unchanged", _("Already imported")
    FAILED = "failed", _("Failed")


FINISHED = frozenset(
    {ImportStatus.REFUSED, ImportStatus.COMMITTED, ImportStatus.UNCHANGED, ImportStatus.FAILED}
)


class ColumnType(models.TextChoices):
    """How a column's cells are read."""

    TEXT = "text", _("text")
    CODE = "code", _("code")
    INTEGER = "integer", _("whole number")
    DECIMAL = "decimal", _("number")
    DATE = "date", _("date")
    BOOLEAN = "boolean", _("yes / no")


class Encoding(models.TextChoices):
    """Text encodings of CSV files; ``auto`` detects them."""

    AUTO = "auto", _("Detect")
    UTF8 = "utf-8", _("UTF-8")
    GB18030 = "gb18030", _("GB18030 / GBK (Chinese)")
    CP1252 = "cp1252", _("Windows-1252 / Latin-1")


class DateOrder(models.TextChoices):
    """How to read a date written with slashes or dots: 03/04/2025."""

    DMY = "dmy", _("day / month / year")
    MDY = "mdy", _("month / day / year")
