"""Forms of the accounts app: an organisation's facts, invitations, roles and API tokens."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seabridge.accounts.choices import Role
from seabridge.accounts.models import Organization
from seabridge.web.forms import StyledFormMixin

DEFAULT_TOKEN_LIFETIME = timedelta(days=90)


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    """The facts an organisation's admin may change."""

    languages = forms.CharField(
        label=_("Working languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, zh-hans, ar."),
    )

    class Meta:
        model = Organization
        fields = ["legal_name", "short_name", "home_country", "languages", "founded_year"]
        fields += ["description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [code.strip() for code in raw.split(",") if code.strip()]

    def _post_clean(self) -> None:
        # The service validates and saves; the form only parses input.
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MemberInviteForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class MemberRoleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Nightly stock export”."),
    )
    expires_at = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working at the end of this day (UTC); at most a year."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_at"].initial = timezone.now().date() + DEFAULT_TOKEN_LIFETIME

    def expiry(self) -> datetime:
        """The chosen day's last second in UTC, as the service expects a moment."""
        day: date = self.cleaned_data["expires_at"]
        return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


class ChoosePasswordForm(StyledFormMixin, SetPasswordForm):
    """Django's set-password form with our styling (used by invitation links)."""
