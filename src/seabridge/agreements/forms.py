"""Forms for drafting agreements and sub-grants, and recording signatures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seabridge.accounts.models import Organization
from seabridge.agreements.choices import AgreementKind, CollaborationTopic
from seabridge.agreements.models import Agreement
from seabridge.catalog.models import Brand
from seabridge.core.scope import Area
from seabridge.markets.models import BusinessRegion, Country
from seabridge.web.forms import StyledFormMixin

COMMITMENT_TOPICS = [
    CollaborationTopic.SALES_PLANNING,
    CollaborationTopic.BRAND_MARKETING,
    CollaborationTopic.CHANNEL_SYNERGY,
    CollaborationTopic.AFTER_SALES,
]


class AgreementForm(StyledFormMixin, forms.Form):
    """An agreement's parties, period and scope; a sub-grant's choices narrow to the parent's."""

    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    grantee = forms.ModelChoiceField(label=_("Grantee"), queryset=Organization.objects.none())
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_to = forms.DateField(
        label=_("Effective to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    brands = forms.ModelMultipleChoiceField(label=_("Brands"), queryset=Brand.objects.none())
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.all(), required=False
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Business regions"),
        queryset=BusinessRegion.objects.all(),
        required=False,
        to_field_name="code",
        help_text=_("Each region stands for all its countries."),
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas"), choices=Area.choices, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, organization: Organization, parent: Agreement | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grantee"].queryset = Organization.objects.exclude(pk=organization.pk)  # type: ignore[attr-defined]
        if parent is None:
            self.fields["brands"].queryset = Brand.objects.filter(owner=organization)  # type: ignore[attr-defined]
        else:
            self.fields["brands"].queryset = Brand.objects.filter(  # type: ignore[attr-defined]
                pk__in=parent.scope_entries.values("brand")
            )
            self.fields["countries"].queryset = Country.objects.filter(  # type: ignore[attr-defined]
                code__in=parent.scope_entries.values("country")
            )
        for topic in COMMITMENT_TOPICS:
            self.fields[f"commitment_{topic}"] = forms.CharField(
                label=_("Commitment: %(area)s") % {"area": topic.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def commitments(self) -> list[tuple[str, str]]:
        return [
            (topic.value, self.cleaned_data[f"commitment_{topic}"].strip())
            for topic in COMMITMENT_TOPICS
            if self.cleaned_data.get(f"commitment_{topic}", "").strip()
        ]


class SignForm(StyledFormMixin, forms.Form):
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_in = forms.CharField(label=_("Signed in (city)"), max_length=100, required=False)


class MarketVisibilityForm(StyledFormMixin, forms.Form):
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none())
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = Brand.objects.filter(owner=organization)  # type: ignore[attr-defined]


DOCUMENT_EXTENSIONS = ["pdf", "docx", "jpg", "jpeg", "png"]
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def validate_document(document: Any) -> None:
    """An agreement's document: a PDF, Word file or scan, at most 20 MB."""
    from django.core.exceptions import ValidationError

    name = getattr(document, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("Attach a PDF, Word document or image (%(types)s).")
            % {"types": ", ".join(DOCUMENT_EXTENSIONS)}
        )
    if document.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("The document is larger than 20 MB."))


class AgreementEditForm(StyledFormMixin, forms.Form):
    """A draft's title, period, scope, notes and document (parties and kind stay)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_to = forms.DateField(
        label=_("Effective to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    brands = forms.ModelMultipleChoiceField(label=_("Brands"), queryset=Brand.objects.none())
    countries = forms.ModelMultipleChoiceField(label=_("Countries"), queryset=Country.objects.all())
    areas = forms.MultipleChoiceField(
        label=_("Areas"), choices=Area.choices, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(
        label=_("Signed document"), required=False, validators=[validate_document]
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        entries = agreement.scope_entries.all()
        kwargs.setdefault(
            "initial",
            {
                "title": agreement.title,
                "effective_from": agreement.effective_from,
                "effective_to": agreement.effective_to,
                "brands": sorted({entry.brand_id for entry in entries}),
                "countries": sorted({entry.country_id for entry in entries}),
                "areas": sorted({entry.area for entry in entries}),
                "notes": agreement.notes,
            },
        )
        super().__init__(*args, **kwargs)
        if agreement.parent is None:
            brands = Brand.objects.filter(owner_id=agreement.grantor_id)
        else:
            brands = Brand.objects.filter(pk__in=agreement.parent.scope_entries.values("brand"))
        self.fields["brands"].queryset = brands  # type: ignore[attr-defined]
