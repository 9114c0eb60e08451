"""Keeping the journal: the CPD log, its CSV, and the export of a whole journal.

Everything here is about one person's own entries, so nothing is filtered by
visibility: the author reads all of theirs. Two rules shape the code:

- Times are shown in the author's time zone, passed in explicitly. The CSV and
  the zip are streamed, so they are written after the view has returned and
  the time zone middleware has already deactivated the reader's zone.
- Work is bounded: totals are computed by the database, rows are read with
  ``.iterator()`` in chunks (each chunk's tags and comments in one query
  each), and the zip is written file by file into a generator, so neither
  memory nor the time before the first byte grows with the size of the
  journal.
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile, display_name
from core.downloads import csv_cell, csv_text
from journal.images import images_for_export
from journal.models import Comment, Entry, EntryQuerySet, Image

#: Rows per page of the CPD log; the totals always cover every entry.
LOG_ROWS_PER_PAGE = 100

#: Entries read per query (with one query each for their tags and comments)
#: while writing a CSV or an export.
CHUNK_SIZE = 250

CSV_HEADER = [
    _("Date"),
    _("Programme"),
    _("Cohort"),
    _("Thing"),
    _("Title"),
    _("Minutes"),
    _("My action"),
    _("Visibility"),
    _("Link"),
]


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    """The user's own time zone (their profile's), else the site's default."""
    try:
        name = user.profile.time_zone
    except Profile.DoesNotExist:
        name = ""
    return zoneinfo.ZoneInfo(name or settings.PONDER_DEFAULT_TIME_ZONE)


def format_minutes(minutes: int | None) -> str:
    """750 → "12 h 30 min": what a professional body asks for is hours."""
    hours, rest = divmod(minutes or 0, 60)
    if not hours:
        return gettext("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return gettext("%(hours)d h") % {"hours": hours}
    return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


# The CPD log ---------------------------------------------------------------


def year_bounds(
    year: int, zone: zoneinfo.ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of a calendar year in a time zone, and of the next."""
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def log_entries(
    user: User, *, zone: zoneinfo.ZoneInfo, year: int | None = None
) -> EntryQuerySet:
    """What the CPD log counts: the user's published entries, whatever their
    visibility ("only me" ones too). Drafts are left out: they are not done yet,
    and publishing is what dates an entry and completes a Thing."""
    entries = Entry.objects.filter(author=user).published()
    if year is not None:
        start, end = year_bounds(year, zone)
        entries = entries.filter(published_at__gte=start, published_at__lt=end)
    return entries


def log_rows(entries: EntryQuerySet) -> EntryQuerySet:
    """The rows of the log, oldest first as in a ledger, with what each row shows."""
    return entries.select_related("cohort__programme", "thing").order_by(
        "published_at", "pk"
    )


def totals_by_programme(entries: EntryQuerySet) -> list[dict]:
    """Entries and minutes per programme; free reflections (no cohort) last."""
    rows = (
        entries.order_by()
        .values(programme_id=F("cohort__programme_id"))
        .annotate(
            title=F("cohort__programme__title"),
            entries=Count("pk"),
            minutes=Coalesce(Sum("minutes"), 0),
        )
        .order_by(F("title").asc(nulls_last=True), "programme_id")
    )
    return [_with_hours(row) for row in rows]


def totals_by_year(entries: EntryQuerySet, zone: zoneinfo.ZoneInfo) -> list[dict]:
    """Entries and minutes per calendar year of publication, in the user's zone."""
    rows = (
        entries.order_by()
        .annotate(year=ExtractYear("published_at", tzinfo=zone))
        .values("year")
        .annotate(entries=Count("pk"), minutes=Coalesce(Sum("minutes"), 0))
        .order_by("year")
    )
    return [_with_hours(row) for row in rows]


def grand_total(entries: EntryQuerySet) -> dict:
    totals = entries.order_by().aggregate(
        entries=Count("pk"), minutes=Coalesce(Sum("minutes"), 0)
    )
    return _with_hours(totals)


def _with_hours(row: dict) -> dict:
    return {**row, "hours": format_minutes(row["minutes"])}


def thing_label(entry: Entry) -> str:
    if entry.thing is None:
        return ""
    return gettext("Thing %(number)s: %(title)s") % {
        "number": entry.thing.number,
        "title": entry.thing.title,
    }


# CSV -----------------------------------------------------------------------


def csv_rows(
    entries: EntryQuerySet, *, username: str, zone: zoneinfo.ZoneInfo
) -> Iterator[list]:
    """The header, then one row per entry of the log, read in chunks."""
    yield [str(label) for label in CSV_HEADER]
    for entry in log_rows(entries).iterator(chunk_size=CHUNK_SIZE):
        cohort = entry.cohort
        link = reverse(
            "journal:entry", kwargs={"username": username, "slug": entry.slug}
        )
        row = [
            timezone.localtime(entry.published_at, zone).date().isoformat(),
            cohort.programme.title if cohort else "",
            cohort.name if cohort else "",
            thing_label(entry),
            entry.title,
            entry.minutes if entry.minutes is not None else "",
            entry.action,
            entry.get_visibility_display(),
            settings.SITE_URL + link,
        ]
        yield [csv_cell(value) for value in row]


def dated_name(stem: str, user: User, zone: zoneinfo.ZoneInfo) -> str:
    """``ponder-<stem>-<username>-<today in their zone>``, for a download."""
    today = timezone.localtime(timezone.now(), zone).date().isoformat()
    return f"ponder-{stem}-{user.username}-{today}"


# Export --------------------------------------------------------------------

#: Characters a YAML 1.1 reader (PyYAML) treats as line breaks or refuses,
#: which JSON leaves unescaped: DEL and C1 controls, the Unicode line and
#: paragraph separators, and the two noncharacters at the end of the BMP.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def yaml_value(value: object) -> str:
    """A front matter value: JSON, which is valid YAML (a flow scalar, sequence
    or mapping), so a title with a colon, quotes or a "#" stays one string."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _iso(moment: datetime.datetime | None, zone: zoneinfo.ZoneInfo) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment, zone).isoformat(timespec="seconds")


def _human(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return date_format(timezone.localtime(moment, zone), gettext("j F Y, H:i"))


#: What ``Profile.name`` says, computed in the query: the display name, else
#: the username (None for a deleted comment's vanished author).
_AUTHOR_NAME = Coalesce(
    NullIf(F("author__profile__display_name"), Value("")), F("author__username")
)


@dataclass
class ExportItem:
    entry: Entry
    tags: list[str]
    comments: list[Comment]


def export_entries(user: User) -> Iterator[ExportItem]:
    """Every entry of the user, drafts too, with its tags and comments, in chunks.

    Each chunk of ``CHUNK_SIZE`` entries costs three queries: the entries (with
    cohort, programme and Thing joined), their tags, and their comments (with
    each comment's author's name, and whether the user may read it: a comment
    a facilitator hid is kept only as a placeholder for its replies). Tags and
    comments are grouped here rather than prefetched: prefetching links the
    related objects back to their entry, and those reference cycles would keep
    every chunk in memory until the garbage collector happened to run.
    """
    entries = (
        Entry.objects.filter(author=user)
        .select_related("cohort__programme", "thing")
        .order_by("published_at", "created", "pk")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    while chunk := list(islice(entries, CHUNK_SIZE)):
        ids = [entry.pk for entry in chunk]
        tags: dict[int, list[str]] = {}
        for entry_id, name in (
            Entry.tags.through.objects.filter(entry_id__in=ids)
            .order_by("tag__name")
            .values_list("entry_id", "tag__name")
        ):
            tags.setdefault(entry_id, []).append(name)
        comments: dict[int, list[Comment]] = {}
        for comment in (
            Comment.objects.filter(entry_id__in=ids)
            .filter(Comment.private_readable_by(user))
            .annotate(
                author_name=_AUTHOR_NAME,
                readable=Case(
                    When(Comment.readable_by(user), then=Value(True)),
                    default=Value(False),
                ),
            )
            .order_by("created", "pk")
        ):
            comments.setdefault(comment.entry_id, []).append(comment)
        for entry in chunk:
            yield ExportItem(entry, tags.get(entry.pk, []), comments.get(entry.pk, []))


@dataclass
class ExportedComment:
    depth: int
    author: str
    created: str
    created_iso: str
    #: Shown as a placeholder only: deleted, or hidden by a facilitator.
    deleted: bool
    body: str
    comment: Comment
    hidden: bool = False


def thread(
    comments: Iterable[Comment], zone: zoneinfo.ZoneInfo
) -> list[ExportedComment]:
    """Comments in reading order, each reply under its parent.

    What the author may read of their own thread (see `export_entries`): the
    comments they may read, and for a deleted or hidden one that still has
    replies only its placeholder; a hidden one without replies is left out.
    """
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)

    def walk(parent_id: int | None) -> list[ExportedComment]:
        ordered: list[ExportedComment] = []
        for comment in children.get(parent_id, []):
            replies = walk(comment.pk)
            hidden = not comment.readable
            if hidden and not replies:
                continue
            placeholder = comment.is_deleted or hidden
            ordered.append(
                ExportedComment(
                    depth=comment.depth,
                    author="" if placeholder else comment.author_name,
                    created=_human(comment.created, zone),
                    created_iso=_iso(comment.created, zone) or "",
                    deleted=placeholder,
                    body="" if placeholder else comment.body,
                    comment=comment,
                    hidden=hidden and not comment.is_deleted,
                )
            )
            ordered += replies
        return ordered

    return walk(None)


def entry_path(entry: Entry, zone: zoneinfo.ZoneInfo, ext: str) -> str:
    """``entries/2025-03-01-on-feeds.md``, or ``drafts/on-feeds.md`` for a draft.

    Slugs are unique per author and URL-safe, so paths never collide or escape.
    """
    if entry.is_published:
        day = timezone.localtime(entry.published_at, zone).date().isoformat()
        return f"entries/{day}-{entry.slug}.{ext}"
    return f"drafts/{entry.slug}.{ext}"


def front_matter(entry: Entry, tags: list[str], zone: zoneinfo.ZoneInfo) -> dict:
    cohort = entry.cohort
    thing = entry.thing
    return {
        "title": entry.title,
        "slug": entry.slug,
        "status": entry.status,
        "visibility": entry.visibility,
        "created": _iso(entry.created, zone),
        "published": _iso(entry.published_at, zone),
        "updated": _iso(entry.updated, zone),
        "programme": cohort.programme.title if cohort else None,
        "cohort": cohort.name if cohort else None,
        "thing": {"number": thing.number, "title": thing.title} if thing else None,
        "tags": tags,
        "minutes": entry.minutes,
        "action": entry.action,
    }


def entry_markdown(
    item: ExportItem, comments: list[ExportedComment], zone: zoneinfo.ZoneInfo
) -> str:
    """The entry as Markdown with front matter, its comments at the end."""
    entry = item.entry
    lines = ["---"]
    lines += [
        f"{key}: {yaml_value(value)}"
        for key, value in front_matter(entry, item.tags, zone).items()
    ]
    lines += ["---", "", entry.body.replace("\r\n", "\n").strip(), ""]
    if comments:
        lines += ["## " + gettext("Comments"), ""]
        for comment in comments:
            # Replies are quoted inside their parent's level, as mail clients do.
            quote = "> " * (comment.depth - 1)
            if comment.hidden:
                block = ["*" + gettext("Comment hidden by a facilitator") + "*"]
            elif comment.deleted:
                block = ["*" + gettext("Comment deleted") + "*"]
            else:
                block = [f"**{comment.author}** · {comment.created}", ""]
                block += comment.body.replace("\r\n", "\n").strip().split("\n")
            lines += [(quote + line).rstrip() for line in block]
            lines.append("")
    return "\n".join(lines)


def _entry_context(
    item: ExportItem, comments: list[ExportedComment], zone: zoneinfo.ZoneInfo
) -> dict:
    entry = item.entry
    return {
        "entry": entry,
        "comments": comments,
        "author_name": display_name(entry.author),
        "published": _human(entry.published_at, zone) if entry.published_at else "",
        "updated": _human(entry.updated, zone),
        "thing": thing_label(entry),
        "tags": item.tags,
        "minutes": format_minutes(entry.minutes) if entry.minutes else "",
    }


class _Sink:
    """An unseekable file zipfile writes into; the generator drains it."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data


def _zip_info(name: str, moment: datetime.datetime, zone: zoneinfo.ZoneInfo):
    local = timezone.localtime(moment, zone)
    info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def export_zip(user: User, *, name: str, flush_at: int = 64 * 1024) -> Iterator[bytes]:
    """The whole journal as a zip, yielded in pieces as it is written.

    zipfile writes to an unseekable file with data descriptors, so each member
    is compressed and sent on; only the list of entries for index.html (a few
    strings each) stays in memory until the end. ``name`` is the folder
    everything sits in, named like the download.
    """
    # The user's profile is read once here: entries carry the same author.
    zone = zone_of(user)
    author_name = display_name(user)
    now = timezone.now()
    root = name
    sink = _Sink()
    index: list[dict] = []

    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, content: str, moment: datetime.datetime) -> None:
            info = _zip_info(f"{root}/{name}", moment, zone)
            archive.writestr(info, content.encode("utf-8"))

        add(
            "README.txt",
            render_to_string(
                "journal/export_readme.txt",
                {
                    "user": user,
                    "author_name": author_name,
                    "exported": _human(now, zone),
                },
            ),
            now,
        )
        add("style.css", render_to_string("journal/export_style.css"), now)
        images = list(Image.objects.filter(owner=user).order_by("created", "pk"))
        files = {image.public_id: _image_path(image) for image in images}
        for item in export_entries(user):
            entry = item.entry
            entry.author = user  # every entry is theirs: no query for the author
            _show_images_from_files(item, files)
            comments = thread(item.comments, zone)
            add(
                entry_path(entry, zone, "md"),
                entry_markdown(item, comments, zone),
                entry.updated,
            )
            context = _entry_context(item, comments, zone)
            add(
                entry_path(entry, zone, "html"),
                render_to_string("journal/export_entry.html", context),
                entry.updated,
            )
            index.append(
                {
                    "title": entry.title,
                    "path": entry_path(entry, zone, "html"),
                    "draft": not entry.is_published,
                    "date": context["published"] or context["updated"],
                    "thing": context["thing"],
                    "visibility": entry.get_visibility_display(),
                    "comments": sum(not c.deleted for c in comments),
                }
            )
            if sink.size >= flush_at:
                yield sink.take()
        for image in images:
            info = _zip_info(f"{root}/{files[image.public_id]}", image.created, zone)
            with (
                default_storage.open(image.file_name()) as stored,
                archive.open(info, mode="w") as member,
            ):
                for chunk in stored.chunks():
                    member.write(chunk)
                    if sink.size >= flush_at:
                        yield sink.take()
        add(
            "index.html",
            render_to_string(
                "journal/export_index.html",
                {
                    "author_name": author_name,
                    "exported": _human(now, zone),
                    "published": [item for item in index if not item["draft"]],
                    "drafts": [item for item in index if item["draft"]],
                },
            ),
            now,
        )
        with archive.open(
            _zip_info(f"{root}/cpd-log.csv", now, zone), mode="w"
        ) as member:
            rows = csv_rows(
                log_entries(user, zone=zone), username=user.username, zone=zone
            )
            for text in csv_text(rows):
                member.write(text.encode("utf-8"))
                if sink.size >= flush_at:
                    yield sink.take()
    yield sink.take()


def _image_path(image: Image) -> str:
    suffix = image.file_name().rsplit(".", 1)[-1]
    return f"images/{image.public_id}.{suffix}"


def _show_images_from_files(item: ExportItem, files: dict[str, str]) -> None:
    """Point the entry's Markdown and HTML, and its comments' HTML, at the
    image files beside them (in memory: nothing here is saved)."""
    entry = item.entry
    entry.body = images_for_export(entry.body, files, html=False)
    entry.body_html = images_for_export(entry.body_html, files, html=True)
    for comment in item.comments:
        comment.body_html = images_for_export(comment.body_html, files, html=True)


def journal_counts(user: User) -> dict:
    """How many entries and drafts an export holds (one query)."""
    return Entry.objects.filter(author=user).aggregate(
        published=Count("pk", filter=Q(status=Entry.Status.PUBLISHED)),
        drafts=Count("pk", filter=Q(status=Entry.Status.DRAFT)),
    )
