"""Model fields shared by the apps."""

import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext


@cache
def time_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            gettext("Choose a time zone from the list."), code="invalid"
        )


class TimeZoneField(models.CharField):
    """An IANA time zone name, chosen from a list.

    The list comes from the system's time zone database at run time rather than
    being frozen into `choices`, so tzdata updates need no migration.
    """

    default_validators = [validate_time_zone]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        choices = [(name, name) for name in time_zone_names()]
        return forms.ChoiceField(
            choices=choices,
            label=kwargs.get("label", self.verbose_name.capitalize()),
            help_text=kwargs.get("help_text", self.help_text),
            required=not self.blank,
            initial=self.get_default(),
        )
