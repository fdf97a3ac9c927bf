"""Uploaded files and what became of them: who imported what, when, with which checksum."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seabridge.core.models import BaseModel
from seabridge.imports.choices import FINISHED, DateOrder, Encoding, ImportStatus


class ImportBatch(BaseModel):
    """One file of one kind, uploaded by a person acting for an organisation.

    The file is kept as uploaded; ``errors`` holds the validation report (the first
    :data:`MAX_STORED_ERRORS` problems, ``error_count`` counts them all) and
    ``summary`` what the commit created, updated or found unchanged.
    """

    kind = models.CharField(_("kind"), max_length=40)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="imports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    encoding = models.CharField(
        _("encoding"), max_length=16, choices=Encoding.choices, default=Encoding.AUTO
    )
    detected_encoding = models.CharField(_("encoding read"), max_length=16, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    date_order = models.CharField(
        _("date order"), max_length=3, choices=DateOrder.choices, default=DateOrder.DMY
    )
    header = models.JSONField(_("header"), default=list, blank=True)
    mapping = models.JSONField(
        _("column mapping"),
        default=dict,
        blank=True,
        help_text=_("Column name → position of the file's column holding it."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    job = models.ForeignKey(
        "core.Job", verbose_name=_("job"), on_delete=models.SET_NULL, null=True, blank=True
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="import_recent"),
            models.Index(fields=["organization", "kind", "checksum"], name="import_checksum"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="import_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.VALID
