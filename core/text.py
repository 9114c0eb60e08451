"""The one rule for text that cannot be stored, whatever the database.

PostgreSQL refuses NUL (``\\x00``) in text, and a surrogate code point
(U+D800 to U+DFFF) cannot be encoded at all; SQLite stores both. Left alone, the
same input is stored on one database and a server error on the other, so text
holding either is refused before it reaches a model, with a clear message.

Form fields already refuse NUL (Django's ``ProhibitNullCharactersValidator``,
"Null characters are not allowed.") and form-encoded bodies cannot carry a
surrogate (Django decodes them with ``errors="replace"``). What still needs this
rule: JSON bodies (``"\\ud800"`` is valid JSON), query strings and imported files.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_reason(text: str) -> str | None:
    """Why `text` cannot be stored, for the person who sent it; None if it can."""
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        # Django's own words for NUL in a form field, and so its translations.
        return gettext("Null characters are not allowed.")
    return gettext(
        "The text holds U+%(code)04X, half of a character that is not valid "
        "Unicode on its own; remove it or send the whole character."
    ) % {"code": ord(found.group())}


def unstorable_in(value: object) -> str | None:
    """Why some text in a parsed JSON value, keys included, cannot be stored;
    None if all of it can."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            reason = unstorable_reason(item)
            if reason is not None:
                return reason
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def refuse_unstorable_text(value: str) -> None:
    """A validator for model and form fields: the rule above, as a field error."""
    reason = unstorable_reason(value)
    if reason is not None:
        raise ValidationError(reason, code="unstorable")
