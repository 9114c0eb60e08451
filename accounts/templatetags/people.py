"""How people are named on pages: ``{% load people %}``, then ``{{ user|name }}``."""

from django import template
from django.contrib.auth.models import User

from accounts.models import display_name

register = template.Library()


@register.filter
def name(user: User) -> str:
    return display_name(user)
