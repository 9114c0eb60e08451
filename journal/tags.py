"""Personal tags: what the writer types, how it is checked, and where it is kept.

Tags belong to the author (Tag.owner): "ward" of Ada and "ward" of Ben are two
rows, and an entry only ever carries its own author's tags. They are for finding
one's own entries again, and they show on the entry to whoever may read it.
Putting tags on an entry is an action (journal/actions.py, `apply_tags`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import User
from django.db.models import Count
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from journal.models import Entry, EntryQuerySet, Tag

MAX_TAGS = 10
MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length
#: The most tags listed on one's own journal page.
TAGS_LISTED = 100


@dataclass(frozen=True)
class TagSpec:
    """A tag as the writer asked for it, before it is looked up or created."""

    name: str
    slug: str


def parse_tags(text: str) -> list[TagSpec]:
    """Comma-separated names, lower-cased, in the order given, without repeats.

    Raises ValidationError naming every problem at once, so the writer can fix
    them in one go; "#ward" is taken as "ward".
    """
    errors: list[str] = []
    found: dict[str, TagSpec] = {}
    for piece in text.split(","):
        name = " ".join(piece.split()).lower().lstrip("#").strip()
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            errors.append(
                ngettext(
                    "“%(name)s…” is too long: a tag has at most %(most)d character.",
                    "“%(name)s…” is too long: a tag has at most %(most)d characters.",
                    MAX_TAG_LENGTH,
                )
                % {"name": name[:24], "most": MAX_TAG_LENGTH}
            )
            continue
        slug = slugify(name, allow_unicode=True)
        if not slug:
            errors.append(
                gettext("“%(name)s” needs at least one letter or digit.")
                % {"name": name}
            )
            continue
        found.setdefault(slug, TagSpec(name=name, slug=slug))
    if len(found) > MAX_TAGS:
        errors.append(
            ngettext(
                "At most %(most)d tag on an entry: this has %(count)d.",
                "At most %(most)d tags on an entry: this has %(count)d.",
                MAX_TAGS,
            )
            % {"most": MAX_TAGS, "count": len(found)}
        )
    if errors:
        raise forms.ValidationError(errors)
    return list(found.values())


class TagsField(forms.CharField):
    """A text box of comma-separated tags; cleans to a list of TagSpec."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault(
            "help_text",
            _(
                "Separate tags with commas, like “ward rounds, teaching”. They help "
                "you find your entries again; whoever can read the entry sees them."
            ),
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        )
        super().__init__(**kwargs)

    def clean(self, value: str) -> list[TagSpec]:  # type: ignore[override]
        return parse_tags(super().clean(value) or "")


def as_text(entry: Entry) -> str:
    """The entry's tags as the writer would type them, for the editor."""
    if entry.pk is None:
        return ""
    return ", ".join(tag.name for tag in entry.tags.all())


def tagged(entries: EntryQuerySet, *, owner: User, slug: str) -> EntryQuerySet:
    """Narrow entries, already limited to what the reader may see, to one tag.

    One tag per (owner, slug), so the join adds no duplicate rows.
    """
    return entries.filter(tags__owner=owner, tags__slug=slug)


def tag_name(entries: EntryQuerySet, *, owner: User, slug: str) -> str:
    """The name of the tag on the reader's visible entries, else the slug asked.

    Looking only at visible entries keeps a tag used on nothing the reader may
    see from showing its name.
    """
    name = (
        Tag.objects.filter(owner=owner, slug=slug, entries__in=entries)
        .values_list("name", flat=True)
        .first()
    )
    return name or slug


def tag_counts(owner: User) -> list[Tag]:
    """The owner's tags, each with how many of their entries carry it (the
    filter comes first so the count is of those entries: deleted ones are not
    in `Entry.objects`)."""
    return list(
        Tag.objects.filter(owner=owner, entries__in=Entry.objects.all())
        .annotate(entry_count=Count("entries"))
        .order_by("name")[:TAGS_LISTED]
    )
