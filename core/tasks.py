"""Background work. Every e-mail leaves through `send_email`, enqueued on commit."""

from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_email(
    *, to: list[str], subject: str, text: str, html: str | None = None
) -> int:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def send_templated_email_on_commit(
    *, to: list[str], template: str, context: dict, language: str
) -> None:
    """Render `<template>_subject.txt` and `<template>.txt`, send once committed.

    Rendering happens now, in the request, so the task carries plain strings that
    any worker can send without the database objects of the moment. It happens
    in `language`, the recipient's, not the language of the request.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
    transaction.on_commit(
        partial(send_email.enqueue, to=to, subject=" ".join(subject.split()), text=text)
    )
