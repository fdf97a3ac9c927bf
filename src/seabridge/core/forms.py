"""The base every form of ours builds on (through ``seabridge.web.forms.StyledFormMixin``).

Core has no forms of its own; what it gives every form is the one rule for text
(:data:`seabridge.core.errors.CONTROL_CHARACTERS`): a text field that holds a control
character other than tab, line feed and carriage return gets a field error naming the
character, as the API refuses the same input. (Django drops unprintable characters from
an uploaded file's name itself.)
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from seabridge.core.errors import control_character_message


def refuse_control_characters(value: Any) -> None:
    """A form field validator: refuses text that holds a forbidden character. NUL is left
    to Django's own validator, so that it is named once."""
    text = str(value).replace("\x00", "")
    message = control_character_message(text)
    if message is not None:
        raise ValidationError(message, code="control_character")


class CleanTextMixin:
    """Gives every text field of the form :func:`refuse_control_characters`."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Each form has its own copies of its fields, so this touches no other form.
            if isinstance(field, forms.CharField):
                field.validators.append(refuse_control_characters)
