"""Forms of the imports app: they parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seabridge.imports.choices import DateOrder, Encoding
from seabridge.imports.kinds import ImportKind, all_kinds
from seabridge.web.forms import StyledFormMixin

DELIMITERS = [
    ("", _("Detect")),
    (",", _("Comma ,")),
    (";", _("Semicolon ;")),
    ("\t", _("Tab")),
    ("|", _("Vertical bar |")),
]


class UploadForm(StyledFormMixin, forms.Form):
    """A file of one kind, with how to read it when detection is not enough."""

    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File"), help_text=_("Excel (.xlsx) or CSV, with a header row."))
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV)"), choices=Encoding.choices, initial=Encoding.AUTO
    )
    delimiter = forms.ChoiceField(
        label=_("Delimiter (CSV)"), choices=DELIMITERS, required=False, initial=""
    )
    date_order = forms.ChoiceField(
        label=_("Dates like 03/04/2025 mean"), choices=DateOrder.choices, initial=DateOrder.DMY
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(kind.code, kind.label) for kind in all_kinds()]


class MappingForm(StyledFormMixin, forms.Form):
    """Which column of the file holds each of the kind's columns."""

    def __init__(self, *args: Any, kind: ImportKind, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [
            (str(position), header_text or _("column %(number)s") % {"number": position + 1})
            for position, header_text in enumerate(header)
        ]
        for column in kind.columns:
            self.fields[column.name] = forms.TypedChoiceField(
                label=f"{column.label}{' *' if column.required else ''}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=str(column.help),
            )

    def mapping(self) -> dict[str, int | None]:
        return dict(self.cleaned_data)
