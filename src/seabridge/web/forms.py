"""Form helpers shared by every app, and the sign-in form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from seabridge.accounts.selectors import actor_for_user
from seabridge.core.errors import DomainError, OrganizationSuspended
from seabridge.core.forms import CleanTextMixin


class FormRenderer(DjangoTemplates):
    """Renders ``{{ form }}`` as Bootstrap fields, each with its label and errors."""

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


class StyledFormMixin(CleanTextMixin):
    """Gives every widget Bootstrap's class so that ``{{ form }}`` looks right, and every
    text field the refusal of control characters (:class:`CleanTextMixin`)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form: each named field, or the form as a whole."""
    if not error.fields:
        form.add_error(None, error.message)
    for name, messages in error.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class SignInForm(CleanTextMixin, AuthenticationForm):
    """Django's sign-in form with labels and autocomplete hints for password managers.

    A person whose every organisation is suspended is refused with a message that says
    so (after the password matched: the lockout counts only wrong passwords).
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This user name or e-mail and password do not match. Both are case-sensitive."
        ),
    }

    username = forms.CharField(
        label=_("User name or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        try:
            actor_for_user(user=user)
        except OrganizationSuspended as refusal:
            raise ValidationError(refusal.message, code="organization_suspended") from refusal
